"""The encoder's output of the last few audio windows, so one clip transcribed twice is encoded once.

Why: on a server with terms, an everyday voice note is transcribed twice by the same model: with the
glossary prompt (the plan), then, when that caption adds none of the server's words, without it (the base's
own words, combine.py). The prompt changes only the decoder's input; Whisper's encoder sees the same 30 s
window of log-mel features both times and gives the same output. On this machine's tiny.en the encoder took
about 40% of a short clip's transcription (one thread, word timestamps, beam 5), so reusing it takes that
share off the second transcription. A tuned model has its own encoder weights and its own entries.

Keyed by the features' bytes, so only an identical window is ever reused; what comes back is what the
encoder would have computed again (CTranslate2 only reads an encoder output, as faster-whisper's own
temperature fallback and word alignment already reuse one).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import numpy as np

# Windows kept per loaded model. Serving: the plan's and the base's transcription of a clip follow each other
# closely. A retrain transcribes a whole held-out set with one hint, then with the next: 64 windows hold
# about 50 short recordings (tiny.en: 2.3 MB a window, 150 MB in all; large-v3 7.7 MB, 490 MB).
SERVING_ENCODINGS = 8
RETRAIN_ENCODINGS = 64


class EncoderMemo:
    """Wraps a WhisperModel's `encode(features)`: each of the last `kept` distinct windows is encoded once."""

    def __init__(self, encode: Callable[[np.ndarray], Any], kept: int = SERVING_ENCODINGS) -> None:
        self._encode = encode
        self._kept = kept
        self._outputs: OrderedDict[bytes, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.encoded = 0  # windows the encoder ran on
        self.reused = 0  # windows served from memory

    def __call__(self, features: np.ndarray) -> Any:
        array = np.ascontiguousarray(features)
        key = hashlib.blake2b(array.tobytes(), digest_size=16).digest() + repr(array.shape).encode()
        with self._lock:
            if (known := self._outputs.get(key)) is not None:
                self._outputs.move_to_end(key)
                self.reused += 1
                return known
        output = self._encode(features)  # outside the lock: other workers encode other windows meanwhile
        with self._lock:
            self._outputs[key] = output
            self.encoded += 1
            while len(self._outputs) > self._kept:
                self._outputs.popitem(last=False)
        return output


def remember_encodings(model: Any, kept: int = SERVING_ENCODINGS) -> EncoderMemo:
    """Give a loaded faster-whisper WhisperModel an EncoderMemo (its transcribe calls `self.encode`)."""
    memo = EncoderMemo(model.encode, kept)
    model.encode = memo
    return memo
