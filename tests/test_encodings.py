"""The encoder memo (bot/core/transcription/encodings.py): an identical window is encoded once, any other
window is encoded anew, and the oldest windows are forgotten. The engine test that the serving path reuses
a clip's encoding with real faster-whisper is in tests/test_serving_words.py."""

from __future__ import annotations

import numpy as np

from bot.core.transcription.encodings import EncoderMemo


def test_an_identical_window_is_encoded_once_and_any_other_window_again() -> None:
    calls: list[float] = []

    def encode(features: np.ndarray) -> float:
        calls.append(float(features.sum()))
        return float(features.sum())

    memo = EncoderMemo(encode, kept=2)
    window = np.ones((80, 3000), dtype=np.float32)
    assert memo(window) == memo(window.copy()) == 240000.0 and len(calls) == 1
    other = window.copy()
    other[0, 0] = 2.0  # one feature differs: never the same encoding
    assert memo(other) == 240001.0 and len(calls) == 2
    assert memo(window[:, :1500]) == 120000.0 and len(calls) == 3  # another shape
    assert memo(window) == 240000.0 and len(calls) == 4  # forgotten: only the last 2 windows are kept
    assert (memo.encoded, memo.reused) == (4, 1)
