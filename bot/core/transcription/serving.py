"""How a server is served: which model and which vocabulary hint, separately for short clips and long media.

A retrain does not just produce a model; it decides, on the server's own held-out recordings, what serves
it best among the free options (the base model with or without the vocabulary as a hint) and the new
model. Measured here (shared/notes/whisper-offline.md): a glossary prompt spelled the terms as well as
hotwords and inserted far fewer terms nobody said, and any hint made long media lose whole stretches. So a
server that never retrained gets the glossary prompt on short clips and no hint on long media.

This module is plain data shared by the bot (which applies a plan) and the trainer (which chooses one).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

Hint = Literal["none", "glossary", "hotwords"]
HINTS: tuple[Hint, ...] = ("none", "glossary", "hotwords")
BASE = "base"
GLOSSARY_TERMS = 60  # a prompt holds at most 223 tokens; the first terms are the ones that get in
# Whisper keeps the last 223 tokens of a prompt and drops the rest from the front, which would drop the first
# (most wanted) terms; at about 3 characters a token for invented names, 600 characters stay under that.
PROMPT_CHARACTERS = 600
SENTENCE_CHARACTERS = 480  # the part of it for terms said in sentences; the rest of the terms are listed
# Neutral sentences a term is said in (glossary_prompt): they say nothing about what the term is, so they fit
# any community, and they vary so the prompt reads as speech rather than as a pattern to continue.
TERM_SENTENCES = (
    "{} came up again today.",
    "I was reading about {} this morning.",
    "Have you heard what {} did?",
    "We spent the whole evening on {}.",
    "Someone asked about {} yesterday.",
    "Let me tell you about {} first.",
)


@dataclass(frozen=True)
class Route:
    """One way to serve: a model ("base" or "v3") and a hint."""

    model: str = BASE
    hint: Hint = "none"

    def describe(self) -> str:
        return self.model if self.hint == "none" else f"{self.model} with {self.hint}"


@dataclass(frozen=True)
class ServingPlan:
    """What serves short clips (voice notes) and what serves long media, and why."""

    short: Route
    long: Route
    reason: str = ""

    def route_for(self, duration: float, short_max_seconds: float) -> Route:
        return self.short if duration <= short_max_seconds else self.long

    def describe(self) -> str:
        return f"voice notes: {self.short.describe()}; long media: {self.long.describe()}"

    @property
    def models(self) -> set[str]:
        return {self.short.model, self.long.model}

    def as_dict(self) -> dict[str, Any]:
        return {
            "short": {"model": self.short.model, "hint": self.short.hint},
            "long": {"model": self.long.model, "hint": self.long.hint},
            "reason": self.reason,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ServingPlan:
        return cls(_route(data.get("short")), _route(data.get("long")), str(data.get("reason", "")))


def default_plan(hint: Hint) -> ServingPlan:
    """A server that never retrained: the configured hint on short clips, none on long media (measured)."""
    return ServingPlan(Route(BASE, hint), Route(BASE, "none"), "the default: no retrain has chosen yet")


def glossary_prompt(terms: Sequence[str]) -> str | None:
    """The vocabulary as Whisper's initial prompt, each term said in a short neutral sentence.

    Why sentences and not a list: Whisper reads its prompt as what was said just before the clip. After a
    list ("Glossary: A, B, C.") it expects more of the list, so it writes terms over everyday words that
    merely sound like them and recites the list in a loop ("Duskmire, Duskmire, Duskmire"); after a few
    sentences that use the terms it expects speech that may use them. Measured with plain faster-whisper on
    the tuning communities' 96 unseen and sound-alike clips (bench/prompt_forms.py, BENCHMARKS 5l): terms
    written into everyday sound-alike speech 31 -> 18, terms inserted on unseen clips 13 -> 3, terms missed
    18 -> 19 of 58, unseen WER 0.666 -> 0.602. The terms that do not fit a prompt's length as sentences follow
    as a short list, before the sentences, so the prompt still ends in speech.
    """
    kept = list(dict.fromkeys(t.strip() for t in terms if t.strip()))[:GLOSSARY_TERMS]
    if not kept:
        return None
    sentences: list[str] = []
    for index, term in enumerate(kept):
        sentence = TERM_SENTENCES[index % len(TERM_SENTENCES)].format(term)
        if sum(len(s) + 1 for s in sentences) + len(sentence) > SENTENCE_CHARACTERS:
            break
        sentences.append(sentence)
    listed = _listed(kept[len(sentences) :], PROMPT_CHARACTERS - sum(len(s) + 1 for s in sentences))
    return " ".join([*listed, *sentences])


def _listed(terms: Sequence[str], room: int) -> list[str]:
    """The terms that did not fit as sentences, as a list of at most `room` characters (none if empty)."""
    fitted: list[str] = []
    for term in terms:
        if len("Also: ") + sum(len(t) + 2 for t in [*fitted, term]) > room:
            break
        fitted.append(term)
    return [f"Also: {', '.join(fitted)}."] if fitted else []


def _route(data: Any) -> Route:
    if not isinstance(data, dict):
        return Route()
    hint = data.get("hint", "none")
    return Route(str(data.get("model", BASE)), hint if hint in HINTS else "none")
