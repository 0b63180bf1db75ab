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


def corrections_text(rows: Sequence[CorrectionSummary], total: int, lang: str = "en") -> str:
    if not rows:
        return text("audit.none", lang)
    lines = [text("audit.head", lang, shown=len(rows), total=total)]
    length = len(lines[0])
    for index, row in enumerate(rows):
        who = f"<@{row.user_id}>" if row.user_id is not None else text("audit.forgotten", lang)
        when = f"<t:{int(row.created_at)}:R>"
        words = escape_markdown(truncate(" ".join(row.text.split()), 80))
        line = text(
            "audit.row",
            lang,
            id=row.id,
            caption=row.caption_id,
            who=who,
            when=when,
            pairs=row.pairs,
            text=words,
        )
        if length + len(line) + 60 > MESSAGE_LIMIT:
            lines.append(text("audit.more", lang, more=len(rows) - index))
            break
        lines.append(line)
        length += len(line) + 1
    return "\n".join(lines)


def removed_correction_text(correction_id: int, pairs: int, total_pairs: int, lang: str = "en") -> str:
    """Why the note on earlier corrections: a retrain uses each caption's newest correction only, so taking
    the newest away makes the one before it count again; a moderator must not think the caption is clean."""
    return text("audit.removed", lang, id=correction_id, pairs=pairs, total=total_pairs)


def spelling_text(rules: Sequence[SpellingRule], lang: str = "en") -> str:
    if not rules:
        return text("spelling.none", lang)
    lines = [text("spelling.head", lang)]
    for index, rule in enumerate(rules):
        line = text(
            "spelling.rule",
            lang,
            heard=escape_markdown(rule.heard),
            term=escape_markdown(rule.term),
            captions=rule.captions,
        )
        if sum(len(x) + 1 for x in lines) + len(line) + 40 > MESSAGE_LIMIT:
            lines.append(text("spelling.more", lang, more=len(rules) - index))
            break
        lines.append(line)
    return "\n".join(lines)


def spelling_removed_text(heard: str, terms: Sequence[str], lang: str = "en") -> str:
    shown = ", ".join(escape_markdown(t) for t in terms)
    return text("spelling.removed", lang, heard=escape_markdown(heard), terms=shown)
