"""The plain tool's words with word timestamps: faster-whisper decodes without them, then aligns.

Why: cues need word timestamps, and asking faster-whisper for them changes what it decodes. With
`word_timestamps=True` it moves its seek to the last word's end instead of the segment's closing timestamp,
so on a short clip it decodes the fraction of a second after the last word again, and there Whisper invents
sign-offs ("We'll see you next time.", "That's it."): 4 such tails on 96 clips of the parity bench in the
sixth session, where the plain tool wrote none (bench/parity.py; shared/notes/whisper-offline.md has the
measurement that found them). Decoding exactly as the plain tool does (the same options, no word
timestamps) and then aligning each window's tokens on that window's encoding with faster-whisper's own
`add_word_timestamps` gives the plain tool's text with the timestamps the product had. The encoding is the
one the decode made (bot/core/transcription/encodings.py), so the alignment costs what it cost before.

VAD is done here as `WhisperModel.transcribe(vad_filter=True)` does it (the same Silero options, speech
collected, times mapped back), so the windows and their seek points are the ones faster-whisper used.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import numpy as np

SAMPLING_RATE = 16000


def transcribe_with_words(
    model: Any,
    audio: np.ndarray,
    *,
    vad_filter: bool,
    progress: Callable[[float], None] | None = None,
    **options: Any,
) -> tuple[list[Any], Any]:
    """`model.transcribe(audio, vad_filter=..., **options)` as the plain tool runs it, plus word timestamps.

    Returns faster-whisper's own Segments (times in `audio`'s own timeline, `words` filled in) and its
    TranscriptionInfo."""
    from faster_whisper.transcribe import restore_speech_timestamps
    from faster_whisper.vad import VadOptions, collect_chunks, get_speech_timestamps

    chunks = get_speech_timestamps(audio, VadOptions()) if vad_filter else None
    heard = np.concatenate(collect_chunks(audio, chunks)[0], axis=0) if chunks is not None else audio
    segments, info = model.transcribe(heard, vad_filter=False, word_timestamps=False, **options)
    decoded = list(reporting(segments, progress, len(heard) / SAMPLING_RATE))
    if not decoded:
        return [], info
    aligned = _align(model, heard, decoded, info, options.get("task", "transcribe"))
    if chunks:
        aligned = list(restore_speech_timestamps(aligned, chunks, SAMPLING_RATE))
    return aligned, info


def reporting(segments: Any, progress: Callable[[float], None] | None, duration: float) -> Iterator[Any]:
    """faster-whisper's segments as they come, telling `progress` how far into the media they are."""
    for segment in segments:
        if progress and duration:
            progress(min(1.0, segment.end / duration))
        yield segment


def _align(model: Any, heard: np.ndarray, decoded: list[Any], info: Any, task: str) -> list[Any]:
    """Each decoding window's segments aligned on that window, as generate_segments does inline."""
    from faster_whisper.audio import pad_or_trim
    from faster_whisper.tokenizer import Tokenizer
    from faster_whisper.transcribe import WhisperModel, Word

    defaults = inspect.signature(WhisperModel.transcribe).parameters
    prepend = defaults["prepend_punctuations"].default
    append = defaults["append_punctuations"].default
    tokenizer = Tokenizer(model.hf_tokenizer, model.model.is_multilingual, task=task, language=info.language)
    features = model.feature_extractor(heard)  # as transcribe computed them: its windows are these
    content_frames = features.shape[-1] - 1
    windows: dict[int, list[Any]] = {}
    for segment in decoded:
        windows.setdefault(segment.seek, []).append(segment)
    out: list[Any] = []
    last_speech = 0.0
    for seek, members in windows.items():
        size = min(model.feature_extractor.nb_max_frames, content_frames - seek)
        encoding = model.encode(pad_or_trim(features[:, seek : seek + size]))
        parts = [{"seek": seek, "start": s.start, "end": s.end, "tokens": list(s.tokens)} for s in members]
        model.add_word_timestamps([parts], tokenizer, encoding, size, prepend, append, last_speech)
        for segment, part in zip(members, parts, strict=True):
            words = [Word(**w) for w in part["words"]]
            start, end = (words[0].start, words[-1].end) if words else (segment.start, segment.end)
            out.append(replace(segment, start=start, end=end, words=words))
            if words:
                last_speech = words[-1].end
    return out
