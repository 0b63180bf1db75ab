"""What moderators decide about what the bot learns: vocabulary proposals, the corrections audit, spelling rules.

Why a module of its own: these are the undo side of captioning and corrections (bot/service/), thin checks on
top of the store that turn "nothing matched" into one clear line. Both front ends reach it as
`service.moderation`; it never touches media or the model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.core.captions.alignment import normalize_words
from bot.core.config import Config
from bot.core.errors import CorrectionError
from bot.core.store import CorrectionSummary, SpellingRule, Store

MAX_TERM_CHARS = 60
LIST_LIMIT = 20  # corrections one /corrections list shows (newest first)


class Moderation:
    def __init__(self, config: Config, store: Store) -> None:
        self.config = config
        self.store = store

    # --- vocabulary review -------------------------------------------------------------------------------

    async def suggest_vocabulary(self, guild_id: int, terms: Sequence[str], *, user_id: int) -> list[str]:
        """A member's proposals: they wait for a moderator like the words corrections propose, up to
        `max_pending_proposals` waiting at once (apart from the approved vocabulary's own limit, so a flood
        of suggestions neither fills the vocabulary nor buries what a moderator approved)."""
        cleaned = checked_terms(terms)
        limit = self.config.correction.max_pending_proposals
        added = await self.store.add_terms(
            guild_id, cleaned, added_by=user_id, origin="suggested", limit=limit, proposal=True
        )
        if len(added) < len(cleaned) and await self.store.count_terms(guild_id, proposed=True) >= limit:
            kept = f"; {len(added)} of yours were added first." if added else "; nothing was added."
            raise CorrectionError(
                f"{limit} proposed terms already wait for review, the most allowed; a moderator reviews them "
                f"with /vocabmod review{kept}",
                key="error.proposals_full_kept" if added else "error.proposals_full",
                values={"limit": limit, "added": len(added)} if added else {"limit": limit},
            )
        return added

    async def review_term(self, guild_id: int, term: str, *, approve: bool) -> str:
        """Approve or reject one proposal; a term that no longer waits is one clear line, and an approval
        past the vocabulary's size limit is refused."""
        limit = self.config.correction.max_vocabulary
        reviewed = await self.store.review_term(guild_id, term, approve=approve, limit=limit)
        if reviewed is None:
            raise CorrectionError(f"'{term}' is no longer waiting for review; nothing was changed")
        return reviewed

    async def reject_proposals(self, guild_id: int, *, proposed_before: float) -> list[str]:
        """Bulk reject: every proposal a review message listed (made up to its time), none proposed later."""
        return await self.store.reject_proposals(guild_id, proposed_before=proposed_before)

    # --- corrections audit -------------------------------------------------------------------------------

    async def corrections(
        self, guild_id: int, *, user_id: int | None = None, caption_id: int | None = None
    ) -> tuple[list[CorrectionSummary], int]:
        """The newest matching corrections (at most LIST_LIMIT) and how many the server has in all."""
        rows = await self.store.corrections(
            guild_id, user_id=user_id, caption_id=caption_id, limit=LIST_LIMIT
        )
        return rows, await self.store.count_corrections(guild_id)

    async def remove_correction(self, guild_id: int, correction_id: int) -> int:
        """Delete one correction with its pairs and spelling evidence; returns how many pairs went.
        An id of another server is as unknown as a missing one (NotFoundError from the store)."""
        return await self.store.remove_correction(guild_id, correction_id)

    # --- spelling rules ----------------------------------------------------------------------------------

    async def spelling_rules(self, guild_id: int) -> list[SpellingRule]:
        """The rules new captions get now (the same threshold CaptionService.respell applies)."""
        needed = self.config.correction.spelling_min_captions
        return await self.store.spelling_rules(guild_id, min_captions=needed) if needed else []

    async def remove_spelling(self, guild_id: int, heard: str) -> list[str]:
        """Stop the rules for these heard words for good; unknown words are one clear line."""
        key = " ".join(normalize_words(heard))
        terms = await self.store.remove_spelling_rule(guild_id, key) if key else []
        if not terms:
            raise CorrectionError(f"no spelling rule replaces '{heard[:60]}'; see /spelling list")
        return terms


def checked_terms(terms: Sequence[str]) -> list[str]:
    """Terms with their spaces tidied; none at all or an over-long one is refused (untrusted input)."""
    cleaned = [" ".join(t.split()) for t in terms if t.strip()]
    if not cleaned:
        raise CorrectionError("name at least one term", key="error.no_terms")
    for term in cleaned:
        if len(term) > MAX_TERM_CHARS:
            raise CorrectionError(
                f"'{term[:20]}…' is longer than {MAX_TERM_CHARS} characters",
                key="error.term_too_long",
                values={"term": term[:20], "limit": MAX_TERM_CHARS},
            )
    return cleaned


def proposed_terms(original: str, corrected: str, *, limit: int | None = None) -> list[str]:
    """Words a correction introduced that look like names or jargon: vocabulary candidates.

    A word counts when the model never wrote it and it is spelt unlike ordinary prose: inner capitals
    (LoRA), digits (GPT4), or a capital that does not just start a sentence (Kubernetes mid-sentence).
    Linear in the words (sets, not list look-ups) and stops at `limit`: a correction is untrusted input.
    """
    known = set(normalize_words(original))
    found: dict[str, None] = {}  # ordered, with set look-ups
    sentence_start = True
    for raw in corrected.split():
        if limit is not None and len(found) >= limit:
            break
        word = raw.strip("\"'“”‘’()[]{}.,;:!?")
        if word and word not in found and len(word) <= MAX_TERM_CHARS:
            normalized = normalize_words(word)
            if normalized and not set(normalized) <= known:
                unusual = any(c.isdigit() for c in word) or any(c.isupper() for c in word[1:])
                named = word[0].isupper() and not sentence_start
                if unusual or named:
                    found[word] = None
        sentence_start = bool(re.search(r"[.!?]$", raw))
    return list(found)
