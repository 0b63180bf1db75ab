"""Parity: the product's captions against plain faster-whisper on the same audio with the same hint (issue 20).

For each community of bench/communities.py, its unseen clips (sentences with its terms), its sound-alike
clips (everyday sentences that sound like its terms) and general clips (bench/common.general_sentences), each
transcribed twice per hint, on the same base model (tiny.en int8, the same CPU threads):

- plain: `WhisperModel.transcribe(audio, beam_size=5, language="en", vad_filter=True)`, with
  `initial_prompt=plain_glossary(terms)` ("Glossary: A, B, C.", what a user of the plain tool writes) for
  the glossary hint and nothing for no hint;
- product: `Engine(ModelConfig()).transcribe(audio, choice, terms=terms)` with the base choice and that hint,
  i.e. whatever options and post-processing the serving path applies.

Per (community, set, hint): WER after Whisper's English normaliser, terms missed and terms inserted (bag of
terms per clip, case-insensitive, letters only, plural/possessive allowed: bench.communities.term_counts),
invented tail segments, and the product's time over the plain tool's.

Invented tail segment: a segment after a clip's first whose normalised words are none of the reference's
(all absent), or which has no words at all (". . ."). That catches "Thank you.", "We'll see you in the next
video." and other text nobody said, and does not count a clip split in two. It is counted for both sides.

    PYTHONPATH=$PWD HF_HUB_OFFLINE=1 .venv/bin/python -m bench.parity [--quick] [--community names fantasy]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from bench.acceptance_communities import every_community
from bench.common import Run, general_sentences, headers, word_errors_whisper_normalised
from bench.communities import Community, clips, spoken, term_counts
from bot.core.transcription.serving import GLOSSARY_TERMS

HINTS = ("none", "glossary")
SETS = ("unseen", "soundalike", "general")


def plain_glossary(terms: Sequence[str]) -> str | None:
    """The glossary as a user of the plain tool gives it: a list in the initial prompt ("Glossary: A, B, C.").
    Kept apart from the product's serving.glossary_prompt (which holds only the terms that fit what Whisper
    reads of a prompt) so that a change to the product's prompt never changes what it is judged against."""
    kept = [t.strip() for t in terms if t.strip()][:GLOSSARY_TERMS]
    return f"Glossary: {', '.join(kept)}." if kept else None


@dataclass
class Side:
    """One system's output on one clip."""

    text: str
    segments: list[str]
    seconds: float


def invented_tails(reference: str, segments: list[str]) -> int:
    """Segments after the first that say nothing of the reference (see the module docstring)."""
    from trainer.evaluate import normalize

    said = set(normalize(reference).split())
    return sum(1 for text in segments[1:] if not (set(normalize(text).split()) & said))


class Transcribers:
    """The plain tool and the product on the same base model file, loaded once."""

    def __init__(self) -> None:
        from faster_whisper import WhisperModel

        from bot.core.config import ModelConfig
        from bot.core.transcription.engine import Engine

        self.engine = Engine(ModelConfig())
        self.base = self.engine.base_choice()
        self.model = WhisperModel(
            self.base.path, device="cpu", compute_type="int8", cpu_threads=self.engine.threads
        )

    def plain(self, audio: Any, hint: str, terms: tuple[str, ...]) -> Side:
        prompt = plain_glossary(terms) if hint == "glossary" else None
        hotwords = " ".join(t.strip() for t in terms) if hint == "hotwords" and terms else None
        started = time.perf_counter()
        segments, _ = self.model.transcribe(
            audio, beam_size=5, language="en", vad_filter=True, initial_prompt=prompt, hotwords=hotwords
        )
        texts = [s.text.strip() for s in segments]
        return Side(" ".join(texts), texts, time.perf_counter() - started)

    def product(self, audio: Any, hint: str, terms: tuple[str, ...]) -> Side:
        started = time.perf_counter()
        transcript = self.engine.transcribe(audio, replace(self.base, hint=hint), terms=terms)
        texts = [s.text for s in transcript.segments]
        return Side(" ".join(texts), texts, time.perf_counter() - started)

    def close(self) -> None:
        self.engine.close()


@dataclass
class Measured:
    community: str
    role: str
    set: str
    hint: str
    references: list[str]
    plain: list[Side]
    product: list[Side]


def measure_set(t: Transcribers, community: Community, name: str, paths, references, hint: str) -> Measured:
    from bot.core.media.audio import load_audio

    plain, product = [], []
    for index, path in enumerate(paths):
        audio = load_audio(path)
        # alternate which goes first, so neither always meets a warmer cache or a quieter machine
        if index % 2:
            b = t.product(audio, hint, community.terms)
            a = t.plain(audio, hint, community.terms)
        else:
            a = t.plain(audio, hint, community.terms)
            b = t.product(audio, hint, community.terms)
        plain.append(a)
        product.append(b)
    return Measured(community.name, community.role, name, hint, list(references), plain, product)


class ParityRow(NamedTuple):
    community: str
    set: str
    hint: str
    clips: int
    wer_plain: float
    wer_product: float
    wer_delta: float
    missed: str
    inserted: str
    tails: str
    time_ratio: float


def _wer(references: list[str], sides: list[Side]) -> float:
    """WER over the whole set (errors over reference words), Whisper-normalised."""
    from trainer.evaluate import normalize

    errors = words = 0
    for reference, side in zip(references, sides, strict=True):
        out = word_errors_whisper_normalised(reference, side.text)
        errors += out.substitutions + out.deletions + out.insertions
        words += len(normalize(reference).split())
    return round(errors / words, 4) if words else 0.0


def _terms(m: Measured, sides: list[Side], terms: tuple[str, ...]) -> tuple[int, int, int]:
    counts = [term_counts(r, s.text, terms) for r, s in zip(m.references, sides, strict=True)]
    return sum(c.expected for c in counts), sum(c.missed for c in counts), sum(c.inserted for c in counts)


def summarise(m: Measured) -> tuple[ParityRow, dict[str, Any]]:
    terms = every_community()[m.community].terms
    expected, missed_a, inserted_a = _terms(m, m.plain, terms)
    _, missed_b, inserted_b = _terms(m, m.product, terms)
    tails_a = [invented_tails(r, s.segments) for r, s in zip(m.references, m.plain, strict=True)]
    tails_b = [invented_tails(r, s.segments) for r, s in zip(m.references, m.product, strict=True)]
    wer_a, wer_b = _wer(m.references, m.plain), _wer(m.references, m.product)
    time_a, time_b = sum(s.seconds for s in m.plain), sum(s.seconds for s in m.product)
    row = ParityRow(
        m.community,
        m.set,
        m.hint,
        len(m.references),
        wer_a,
        wer_b,
        round(wer_b - wer_a, 4),
        f"{missed_a} / {missed_b} of {expected}",
        f"{inserted_a} / {inserted_b}",
        f"{sum(tails_a)} / {sum(tails_b)}",
        round(time_b / time_a, 2) if time_a else float("nan"),
    )
    detail = {
        "community": m.community,
        "role": m.role,
        "set": m.set,
        "hint": m.hint,
        "wer_plain": wer_a,
        "wer_product": wer_b,
        "terms_expected": expected,
        "missed_plain": missed_a,
        "missed_product": missed_b,
        "inserted_plain": inserted_a,
        "inserted_product": inserted_b,
        "tails_plain": sum(tails_a),
        "tails_product": sum(tails_b),
        "seconds_plain": round(time_a, 2),
        "seconds_product": round(time_b, 2),
        "clips": [
            {
                "reference": r,
                "plain": a.text,
                "product": b.text,
                "product_segments": b.segments,
                "tails_product": tb,
            }
            for r, a, b, tb in zip(m.references, m.plain, m.product, tails_b, strict=True)
        ],
    }
    return row, detail


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one voice, 6 clips per set")
    parser.add_argument(
        "--community",
        nargs="+",
        choices=sorted(every_community()),
        default=list(every_community()),
        help="which ones",
    )
    parser.add_argument("--seed", type=int, default=0, help="the voice mix's seed")
    args = parser.parse_args()
    run = Run(
        "parity-quick" if args.quick else "parity",
        "Parity: the product against plain faster-whisper, per hint" + (" (quick)" if args.quick else ""),
    )
    general_count = 6 if args.quick else 12
    general = spoken(
        general_sentences(general_count, seed=20), "quick" if args.quick else "unseen", args.seed
    )
    from bot.core.media.audio import load_audio

    t = Transcribers()
    warm = load_audio(general.paths[0])  # warm-up: model loads, VAD model, allocations
    t.plain(warm, "none", ())
    t.product(warm, "none", ())
    rows, details = [], []
    for name in args.community:
        community = every_community()[name]
        sets = {
            "unseen": clips(community, "unseen", args.seed, quick=args.quick),
            "soundalike": clips(community, "soundalike", args.seed, quick=args.quick),
            "general": general,
        }
        for set_name, made in sets.items():
            for hint in HINTS:
                if (
                    set_name == "general"
                    and hint == "none"
                    and rows
                    and any(r.set == "general" and r.hint == "none" for r in rows)
                ):
                    continue  # the general set without a hint is the same for every community
                print(f"{name} {set_name} {hint} ...", flush=True)
                m = measure_set(t, community, set_name, made.paths, made.texts, hint)
                row, detail = summarise(m)
                if set_name == "general" and hint == "none":
                    row = row._replace(community="(any)")
                rows.append(row)
                details.append(detail)
    t.close()
    worse = [r for r in rows if r.wer_delta > 0.005]
    tails = sum(d["tails_product"] for d in details)
    tails_plain = sum(d["tails_plain"] for d in details)
    ratios = sorted(r.time_ratio for r in rows)
    interpretation = (
        f"The product is worse than the plain tool by more than 0.005 WER on {len(worse)} of {len(rows)} "
        f"(community, set, hint) rows"
        + (
            f" ({', '.join(f'{r.community}/{r.set}/{r.hint} {r.wer_delta:+.3f}' for r in worse)})"
            if worse
            else ""
        )
        + f"; it wrote {tails} invented tail segments against the plain tool's {tails_plain}. "
        f"Its time is {ratios[0]:.2f}-{ratios[-1]:.2f}x the plain tool's (median {ratios[len(ratios) // 2]:.2f}x)."
    )
    run.finish(
        headers(
            ParityRow,
            community="community",
            set="set",
            hint="hint",
            clips="clips",
            wer_plain="WER plain",
            wer_product="WER product",
            wer_delta="product - plain",
            missed="terms missed plain / product",
            inserted="terms inserted plain / product",
            tails="invented tails plain / product",
            time_ratio="time product / plain",
        ),
        rows,
        interpretation,
        method=(
            "Same base model file, int8, same CPU threads. Plain: WhisperModel.transcribe(beam_size=5, "
            "language='en', vad_filter=True[, initial_prompt='Glossary: A, B, C.']). Product: "
            "Engine(ModelConfig()).transcribe(audio, base choice with the hint, terms=terms). Terms in the "
            "community's order for both. Clips: the community's unseen and sound-alike sentences in the unseen "
            "voice mix (bench/communities.py)"
            + (" (quick: en-us 160 wpm, 6 clips per set)" if args.quick else "")
            + "; general: bench.common.general_sentences(seed 20) in the same mix, with each community's glossary."
        ),
        notes=[
            "Invented tail: a segment after a clip's first that shares no normalised word with the reference, or "
            "has no words at all.",
            "Terms are counted as a bag per clip and term (case-insensitive, letters only, plural/possessive "
            "allowed); 'inserted' on sound-alike and general sets is a term nobody said.",
            "Clips alternate which system runs first; the time ratio is total product seconds over total plain "
            "seconds on the set.",
        ],
        details={"quick": args.quick, "seed": args.seed, "sets": details},
    )


if __name__ == "__main__":
    main()
