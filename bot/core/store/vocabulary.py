"""The server's vocabulary (approved terms, proposals, rejected terms) and the spelling rules made from it.

Why together: a spelling rule is evidence from corrections joined with an approved term, so the rules change
whenever the vocabulary does, and both are what moderators review.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from bot.core.errors import CorrectionError
from bot.core.store.base import StoreBase
from bot.core.store.rows import SpellingRule, from_row


class VocabularyQueries(StoreBase):
    """The vocabulary, spelling_evidence (read) and spelling_removed tables."""

    # --- vocabulary --------------------------------------------------------------------------------------

    async def add_terms(
        self,
        guild_id: int,
        terms: Iterable[str],
        *,
        added_by: int | None,
        origin: str = "user",
        limit: int | None = None,
        proposal: bool = False,
    ) -> list[str]:
        """Add approved terms (a proposal or rejected term of the same spelling becomes approved), or with
        `proposal` add proposals (a term already approved or once rejected is left as it is, so a correction
        never brings back what a moderator rejected). Returns the terms that changed. With `limit`, the
        guild never holds more approved terms, or with `proposal` more waiting proposals, than that (checked
        in the same transaction): the two are bounded apart, so a flood of proposals never fills the
        vocabulary moderators decided on."""
        added: list[str] = []
        upsert = (
            " ON CONFLICT (guild_id, term) DO NOTHING"
            if proposal
            else " ON CONFLICT (guild_id, term) DO UPDATE SET status = 'approved', added_by = excluded.added_by"
            " WHERE vocabulary.status != 'approved'"
        )
        async with self.transaction(guild_id) as db:
            count = await db.scalar(
                "SELECT COUNT(*) FROM vocabulary WHERE guild_id = ? AND status = ?",
                (guild_id, "proposed" if proposal else "approved"),
            )
            for term in terms:
                if limit is not None and count + len(added) >= limit:
                    break
                changed = await db.run(
                    "INSERT INTO vocabulary (guild_id, term, origin, added_by, created_at, status)"
                    " VALUES (?, ?, ?, ?, ?, ?)" + upsert,
                    (guild_id, term, origin, added_by, time.time(), "proposed" if proposal else "approved"),
                )
                if changed:
                    added.append(term)
        return added

    async def count_terms(self, guild_id: int, *, proposed: bool = False) -> int:
        """Approved terms (the vocabulary's size limit), or with `proposed` the proposals waiting (theirs)."""
        return await self._scalar(
            "SELECT COUNT(*) FROM vocabulary WHERE guild_id = ? AND status = ?",
            (guild_id, "proposed" if proposed else "approved"),
        )

    async def remove_terms(self, guild_id: int, terms: Iterable[str]) -> list[str]:
        """Remove approved terms (proposals are answered with review_term instead)."""
        removed = []
        async with self.transaction(guild_id) as db:
            for term in terms:
                if await db.run(
                    "DELETE FROM vocabulary WHERE guild_id = ? AND term = ? AND status = 'approved'",
                    (guild_id, term),
                ):
                    removed.append(term)
        return removed

    async def vocabulary(self, guild_id: int) -> list[str]:
        """The approved terms: the only ones used as hints, scored after a retrain or made spelling rules."""
        rows = await self._all(
            "SELECT term FROM vocabulary WHERE guild_id = ? AND status = 'approved' ORDER BY term",
            (guild_id,),
        )
        return [r["term"] for r in rows]

    async def proposals(self, guild_id: int) -> list[str]:
        """Terms waiting for a moderator's review, oldest first."""
        rows = await self._all(
            "SELECT term FROM vocabulary WHERE guild_id = ? AND status = 'proposed' ORDER BY created_at, term",
            (guild_id,),
        )
        return [r["term"] for r in rows]

    async def review_term(
        self, guild_id: int, term: str, *, approve: bool, limit: int | None = None
    ) -> str | None:
        """Approve or reject a waiting proposal; returns its spelling, or None if it no longer waits. With
        `limit`, an approval that would make more approved terms than that raises CorrectionError (checked in
        the same transaction), since proposals no longer count toward that limit while they wait."""
        async with self.transaction(guild_id) as db:
            if approve and limit is not None:
                approved = await db.scalar(
                    "SELECT COUNT(*) FROM vocabulary WHERE guild_id = ? AND status = 'approved'", (guild_id,)
                )
                if approved >= limit:
                    raise CorrectionError(
                        f"the vocabulary is full ({limit} terms); remove some with /vocabmod remove before "
                        "approving more. Nothing was changed",
                        key="error.vocabulary_full",
                        values={"limit": limit},
                    )
            row = await db.one(
                "UPDATE vocabulary SET status = ? WHERE guild_id = ? AND term = ? AND status = 'proposed'"
                " RETURNING term",
                ("approved" if approve else "rejected", guild_id, term),
            )
        return None if row is None else str(row["term"])

    async def reject_proposals(self, guild_id: int, *, proposed_before: float) -> list[str]:
        """Reject every proposal made up to `proposed_before` (a review message's time), in one transaction:
        what a moderator saw listed, never one proposed after it. Rejected terms are kept, so corrections do
        not propose them again."""
        async with self.transaction(guild_id) as db:
            rows = await db.all(
                "UPDATE vocabulary SET status = 'rejected'"
                " WHERE guild_id = ? AND status = 'proposed' AND created_at <= ? RETURNING term",
                (guild_id, proposed_before),
            )
        return sorted(str(r["term"]) for r in rows)

    # --- spelling rules ----------------------------------------------------------------------------------

    async def spelling_rules(self, guild_id: int, *, min_captions: int) -> list[SpellingRule]:
        """Replacements seen in corrections of at least `min_captions` recordings, by at least 2 different
        members (when more than one recording is needed), to a term that is approved now (a proposal is not)
        and that no moderator removed; for words heard two ways, the better-attested term wins.

        Recordings, not captions: one member captioning their own clip twice is one piece of evidence; and
        members, not corrections: one member alone cannot plant a rule that rewrites everyone's captions."""
        needed = max(1, min_captions)
        rows = await self._all(
            "SELECT e.heard, v.term, COUNT(DISTINCT e.caption_id) AS captions FROM spelling_evidence e"
            " JOIN vocabulary v ON v.guild_id = e.guild_id AND v.term = e.term AND v.status = 'approved'"
            " JOIN corrections c ON c.guild_id = e.guild_id AND c.id = e.correction_id"
            " JOIN captions k ON k.guild_id = e.guild_id AND k.id = e.caption_id"
            " WHERE e.guild_id = :g AND NOT EXISTS (SELECT 1 FROM spelling_removed r"
            "   WHERE r.guild_id = e.guild_id AND r.heard = e.heard AND r.term = e.term)"
            " GROUP BY e.heard, v.term"
            " HAVING COUNT(DISTINCT k.media_id) >= :n AND COUNT(DISTINCT c.user_id) >= :members"
            " ORDER BY e.heard, captions DESC, v.term",
            {"g": guild_id, "n": needed, "members": min(2, needed)},
        )
        best: dict[str, SpellingRule] = {}
        for r in rows:
            best.setdefault(str(r["heard"]).casefold(), from_row(SpellingRule, r))
        return list(best.values())

    async def remove_spelling_rule(self, guild_id: int, heard: str) -> list[str]:
        """Stop every rule for these heard words (and never learn them again); returns the terms they gave,
        none when no rule (or only removed ones) had them."""
        async with self.transaction(guild_id) as db:
            rows = await db.all(  # a rule removed before is not there to remove again
                "SELECT DISTINCT e.term FROM spelling_evidence e WHERE e.guild_id = :g AND e.heard = :h"
                " AND NOT EXISTS (SELECT 1 FROM spelling_removed r"
                "   WHERE r.guild_id = e.guild_id AND r.heard = e.heard AND r.term = e.term)",
                {"g": guild_id, "h": heard},
            )
            terms = [str(r["term"]) for r in rows]
            await db.run_many(
                "INSERT INTO spelling_removed (guild_id, heard, term) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                [(guild_id, heard, t) for t in terms],
            )
        return terms
