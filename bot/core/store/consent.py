"""Consent before training: whether a server trains at all, and each member's own choice.

A pair is training data only when the server trains and every member it comes from allows it: who corrected
it and everyone who posted its recording (the uploader's choice governs their audio, whoever corrects it). In
'opt_out' mode (the default) a member counts as allowing until they opt out; in 'opt_in' mode only after they
opt in. The same rule is written twice, on purpose: in Python where a correction decides whether to make
pairs at all (`may_train_on`), and in SQL (`CONSENTED_PAIRS`) inside the query a retrain reads its pairs with,
so a choice changed after the pairs were made still keeps them out of every later model.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from bot.core.store.base import StoreBase

TRAINING_MODES = ("off", "opt_out", "opt_in")
DEFAULT_MODE = "opt_out"

# The server's mode for the pair p (NULL: the default).
_MODE = (
    f"COALESCE((SELECT gs.training FROM guild_settings gs WHERE gs.guild_id = p.guild_id), '{DEFAULT_MODE}')"
)


def _allows(user: str) -> str:
    """SQL: member `user` (a column; NULL is no member, e.g. the command line) allows training on pair p."""
    return (
        f"({user} IS NULL OR COALESCE((SELECT tc.consent FROM training_consent tc"
        f" WHERE tc.guild_id = p.guild_id AND tc.user_id = {user}),"
        f" CASE WHEN {_MODE} = 'opt_in' THEN 0 ELSE 1 END) = 1)"
    )


# Appended to a WHERE over training_pairs p joined to its correction c: the pairs that may train a model.
CONSENTED_PAIRS = (
    f" AND {_MODE} != 'off' AND {_allows('c.user_id')}"
    " AND NOT EXISTS (SELECT 1 FROM media_uploaders mu WHERE mu.guild_id = p.guild_id"
    f" AND mu.media_id = p.media_id AND NOT {_allows('mu.user_id')})"
)


class ConsentQueries(StoreBase):
    """guild_settings.training and the training_consent table."""

    async def training_mode(self, guild_id: int) -> str:
        """'off', 'opt_out' (the default) or 'opt_in'."""
        value = await self._scalar("SELECT training FROM guild_settings WHERE guild_id = ?", (guild_id,))
        return str(value) if value in TRAINING_MODES else DEFAULT_MODE

    async def set_training_mode(self, guild_id: int, mode: str) -> None:
        if mode not in TRAINING_MODES:
            raise ValueError(f"training mode {mode!r} is not one of {', '.join(TRAINING_MODES)}")
        await self._set_guild_setting(guild_id, "training", mode)

    async def member_consent(self, guild_id: int, user_id: int) -> bool | None:
        """The member's own choice: True (in), False (out), None (never chose: the server's mode decides)."""
        value = await self._scalar(
            "SELECT consent FROM training_consent WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
        )
        return None if value is None else bool(value)

    async def set_member_consent(self, guild_id: int, user_id: int, consent: bool | None) -> None:
        async with self.transaction(guild_id) as db:
            if consent is None:
                await db.run(
                    "DELETE FROM training_consent WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
                )
                return
            await db.run(
                "INSERT INTO training_consent (guild_id, user_id, consent, updated_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (guild_id, user_id) DO UPDATE SET consent = excluded.consent,"
                " updated_at = excluded.updated_at",
                (guild_id, user_id, int(consent), time.time()),
            )

    async def allows_training(self, guild_id: int, user_ids: Iterable[int | None]) -> bool:
        """The server trains and every one of these members allows it (None: no member, allowed)."""
        mode = await self.training_mode(guild_id)
        if mode == "off":
            return False
        for user_id in {u for u in user_ids if u is not None}:
            choice = await self.member_consent(guild_id, user_id)
            if not (choice if choice is not None else mode == "opt_out"):
                return False
        return True

    async def may_train_on(self, guild_id: int, media_id: int, corrector_id: int | None) -> bool:
        """Whether a correction by `corrector_id` of this recording may become training pairs now."""
        posters = await self._all(
            "SELECT user_id FROM media_uploaders WHERE guild_id = ? AND media_id = ?", (guild_id, media_id)
        )
        return await self.allows_training(guild_id, [corrector_id, *(int(r["user_id"]) for r in posters)])
