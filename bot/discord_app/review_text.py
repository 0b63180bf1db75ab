"""What the review commands answer: proposals to review, the corrections audit, spelling rules.

Separate from the cogs so the commands stay thin; every list stays within Discord's 2000 characters by
showing the newest entries and saying how many more there are.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.store import CorrectionSummary, SpellingRule
from bot.discord_app.formatting import MESSAGE_LIMIT, escape_markdown, fit_message, truncate
from bot.discord_app.i18n import text

REVIEW_PAGE = 5  # proposals per review message: five rows of Approve/Reject buttons, Discord's maximum


def review_text(proposals: Sequence[str], lang: str = "en") -> str:
    if not proposals:
        return text("review.none", lang)
    shown = proposals[:REVIEW_PAGE]
    more = len(proposals) - len(shown)
    lines = [text("review.header", lang, count=len(proposals))]
    lines += [f"• {escape_markdown(t)}" for t in shown]
    lines.append(text("review.explain", lang))
    if more:
        lines.append(text("review.more", lang, more=more))
    return fit_message("\n".join(lines))


def reviewed_text(term: str, approved: bool, lang: str = "en") -> str:
    return text("review.approved" if approved else "review.rejected", lang, term=escape_markdown(term))


def rejected_all_text(rejected: Sequence[str], lang: str = "en") -> str:
    """After Reject all: how many went (named while they fit), and that they are not proposed again."""
    if not rejected:
        return text("review.nothing_left", lang)
    names = truncate(", ".join(escape_markdown(t) for t in rejected), 1500)
    return text("review.rejected_all", lang, count=len(rejected), names=names)


def suggested_text(added: Sequence[str], asked: Sequence[str], lang: str = "en") -> str:
    if not added:
        return text("vocab.suggested_none", lang)
    terms = ", ".join(escape_markdown(t) for t in added)
    return text("vocab.suggested", lang, terms=terms)


def corrections_text(rows: Sequence[CorrectionSummary], total: int) -> str:
    if not rows:
        return "No corrections match."
    lines = [f"**Corrections** (newest first, {len(rows)} of {total} in this server)"]
    length = len(lines[0])
    for index, row in enumerate(rows):
        who = f"<@{row.user_id}>" if row.user_id is not None else "someone who used /forget"
        when = f"<t:{int(row.created_at)}:R>"
        text = escape_markdown(truncate(" ".join(row.text.split()), 80))
        line = f"`#{row.id}` caption {row.caption_id}, by {who} {when}, {row.pairs} pair(s): {text}"
        if length + len(line) + 60 > MESSAGE_LIMIT:
            lines.append(f"… and {len(rows) - index} more; narrow it with the user or caption option.")
            break
        lines.append(line)
        length += len(line) + 1
    return "\n".join(lines)


def removed_correction_text(correction_id: int, pairs: int, total_pairs: int) -> str:
    """Why the note on earlier corrections: a retrain uses each caption's newest correction only, so taking
    the newest away makes the one before it count again; a moderator must not think the caption is clean."""
    return (
        f"🗑️ Correction #{correction_id} removed with its {pairs} training pair(s); the next /retrain will "
        "not use them. A retrain uses each caption's newest correction, so if this caption was corrected "
        "before, that earlier correction's pairs count again (see /corrections list caption:). "
        f"This server now has {total_pairs} pair(s) for the next /retrain."
    )


def spelling_text(rules: Sequence[SpellingRule]) -> str:
    if not rules:
        return "No spelling rules yet. They are learned when corrections keep fixing the same words."
    lines = ["**Spelling rules** (applied to new captions at once)"]
    for index, rule in enumerate(rules):
        line = f"• {escape_markdown(rule.heard)} → {escape_markdown(rule.term)} ({rule.captions} captions)"
        if sum(len(x) + 1 for x in lines) + len(line) + 40 > MESSAGE_LIMIT:
            lines.append(f"… and {len(rules) - index} more")
            break
        lines.append(line)
    return "\n".join(lines)
