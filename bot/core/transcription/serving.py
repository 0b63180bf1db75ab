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
# (most wanted) terms. Invented names with digits take about 1.9 characters a token; 400 stay under it.
PROMPT_CHARACTERS = 400


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
    """The vocabulary as Whisper's initial prompt ("Glossary: A, B, C."): it then spells those words when it
    hears them. As many terms as fit PROMPT_CHARACTERS, first ones first, so none of the first is dropped.

    Tried and not kept (bench/prompt_forms.py, BENCHMARKS 5l): each term said in a short neutral sentence
    ("Zorblax came up again today."). On the tuning communities' noisy voices it wrote fewer terms into
    everyday speech (31 -> 18 with plain faster-whisper) and inserted fewer on unseen clips (13 -> 3); in the
    clear voice of the seven acceptance communities of the time (bench/parity.py --quick; tuning sets since)
    it wrote more (17 against the list's 12 on their sound-alike sentences, and 4 on foundry's unseen clips
    against 0): sentences make everyday speech the context the terms are expected in.
    """
    kept: list[str] = []
    length = len("Glossary: .")
    for term in dict.fromkeys(t.strip() for t in terms if t.strip()):
        length += len(term) + 2  # the term and its ", "
        if len(kept) == GLOSSARY_TERMS or length > PROMPT_CHARACTERS:
            break
        kept.append(term)
    return f"Glossary: {', '.join(kept)}." if kept else None


def _route(data: Any) -> Route:
    if not isinstance(data, dict):
        return Route()
    hint = data.get("hint", "none")
    return Route(str(data.get("model", BASE)), hint if hint in HINTS else "none")
