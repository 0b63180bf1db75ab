"""How the glossary is given to Whisper: as a list, or each term said in a short sentence (issue 20).

On the TUNING communities only (bench/communities.py), their unseen and sound-alike clips in the unseen
voices, three captions of every clip with the same base model file, int8, beam 5, VAD, English:

- plain list: `WhisperModel.transcribe(initial_prompt="Glossary: A, B, C.", condition_on_previous_text=False)`,
  what a user of the plain tool writes (bench/parity.py plain_glossary);
- plain sentences: the same call with each term said in a short neutral sentence (sentence_prompt), so the
  prompt's form is the only difference;
- product: `Engine.transcribe` with the base and the glossary hint, what a server that approved those terms
  is served (its glossary prompt, then the term rules of bot/core/transcription/combine.py). In the stored
  result (bench/results/prompt_forms.json) the product served the sentence prompt; it serves the list again
  since the acceptance communities' clear voice refused the sentences (BENCHMARKS 5l).

Per community and set: WER (Whisper's normaliser), terms missed of those said, terms inserted where nobody
said one. These communities are tuning sets; the acceptance communities judged the sentence form with
`bench/parity.py --quick`, and having chosen the list over it, they are tuning sets for the prompt's form.

    PYTHONPATH=$PWD HF_HUB_OFFLINE=1 .venv/bin/python -m bench.prompt_forms
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, NamedTuple

from bench.common import Run, headers, word_errors_whisper_normalised
from bench.communities import COMMUNITIES, clips, term_counts
from bench.parity import plain_glossary

FORMS = ("plain list", "plain sentences", "product")
# Neutral sentences a term is said in: nothing about what the term is, and varied, so the prompt reads as
# speech rather than as a pattern to continue.
TERM_SENTENCES = (
    "{} came up again today.",
    "I was reading about {} this morning.",
    "Have you heard what {} did?",
    "We spent the whole evening on {}.",
    "Someone asked about {} yesterday.",
    "Let me tell you about {} first.",
)


def sentence_prompt(terms: tuple[str, ...]) -> str:
    """Each term said in one of TERM_SENTENCES, in order (the form tried; the product serves a list)."""
    return " ".join(TERM_SENTENCES[i % len(TERM_SENTENCES)].format(t) for i, t in enumerate(terms))


class Row(NamedTuple):
    community: str
    part: str
    form: str
    wer: float
    missed: int
    expected: int
    inserted: int


def main() -> None:
    from faster_whisper import WhisperModel

    from bot.core.config import ModelConfig
    from bot.core.media.audio import load_audio
    from bot.core.transcription.engine import Engine

    run = Run(
        "prompt_forms", "The glossary as a list or as sentences: plain tool and product (tuning communities)"
    )
    engine = Engine(ModelConfig())
    base = engine.base_choice()
    model = WhisperModel(base.path, device="cpu", compute_type="int8", cpu_threads=engine.threads)

    def plain(audio: object, prompt: str | None) -> str:
        segments, _ = model.transcribe(
            audio,
            beam_size=5,
            language="en",
            vad_filter=True,
            initial_prompt=prompt,
            condition_on_previous_text=False,
        )
        return " ".join(s.text.strip() for s in segments)

    rows: list[Row] = []
    captions: list[dict[str, str]] = []
    for community in COMMUNITIES.values():
        terms = community.terms
        for part in ("unseen", "soundalike"):
            made = clips(community, part)
            texts: dict[str, list[str]] = {form: [] for form in FORMS}
            for path, reference in zip(made.paths, made.texts, strict=True):
                audio = load_audio(path)
                said = {
                    "plain list": plain(audio, plain_glossary(terms)),
                    "plain sentences": plain(audio, sentence_prompt(terms)),
                    "product": _text(engine.transcribe(audio, replace(base, hint="glossary"), terms=terms)),
                }
                for form, text in said.items():
                    texts[form].append(text)
                captions.append({"community": community.name, "part": part, "reference": reference, **said})
            for form in FORMS:
                rows.append(_row(community.name, part, form, made.texts, texts[form], terms))
                print(rows[-1], flush=True)
    engine.close()
    totals = [_total(rows, part, form) for part in ("unseen", "soundalike") for form in FORMS]
    run.finish(
        headers(
            Row,
            community="community",
            part="clips",
            form="glossary given as",
            wer="WER",
            missed="terms missed",
            expected="terms said",
            inserted="terms inserted",
        ),
        [*rows, *totals],
        "Terms written where nobody said one, terms missed and WER for the glossary as a list (the plain "
        "tool's) and as sentences (the product's), on the tuning communities; 'all' rows sum the terms and "
        "average the WER over the communities.",
        method=__doc__ or "",
        details={"captions": captions},
    )


def _text(transcript: Any) -> str:
    return " ".join(s.text for s in transcript.segments)


def _row(
    community: str,
    part: str,
    form: str,
    references: tuple[str, ...],
    texts: list[str],
    terms: tuple[str, ...],
) -> Row:
    errors = [word_errors_whisper_normalised(r, t).wer for r, t in zip(references, texts, strict=True)]
    counts = [term_counts(r, t, terms) for r, t in zip(references, texts, strict=True)]
    return Row(
        community,
        part,
        form,
        round(sum(errors) / len(errors), 3),
        sum(c.missed for c in counts),
        sum(c.expected for c in counts),
        sum(c.inserted for c in counts),
    )


def _total(rows: list[Row], part: str, form: str) -> Row:
    chosen = [r for r in rows if r.part == part and r.form == form]
    return Row(
        "all",
        part,
        form,
        round(sum(r.wer for r in chosen) / len(chosen), 3),
        sum(r.missed for r in chosen),
        sum(r.expected for r in chosen),
        sum(r.inserted for r in chosen),
    )


if __name__ == "__main__":
    main()
