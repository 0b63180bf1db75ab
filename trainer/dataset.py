"""Training data: a guild's corrected pairs, split by recording, packed into 30 s windows, as Whisper inputs.

Two measured facts shape this module (shared/notes/whisper-offline.md):
- Whisper's encoder always hears a 30 s window, so one short clip per window is mostly padding. Packing
  clips (with a short gap) into full windows, in a new order each epoch, learned more for 4x less compute.
- faster-whisper pads in log-mel space, Hugging Face pads the waveform. We serve with faster-whisper, so we
  train on its features, or the fine-tune would be tuned to inputs it never sees.
"""

from __future__ import annotations

import hashlib
import math
import random
import wave
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from bot.core.errors import UserError
from bot.core.media.audio import SAMPLE_RATE, load_audio
from bot.core.store import PairRow

if TYPE_CHECKING:  # datasets and transformers load only when a fit runs
    from datasets import Dataset
    from transformers import WhisperConfig

PACK_GAP_SECONDS = 0.5
WINDOW_SECONDS = 30.0


@dataclass(frozen=True)
class Clip:
    """One training pair's audio and corrected text (or a packed window of several)."""

    audio: np.ndarray
    text: str
    media_id: int
    pair_id: int = -1  # -1: a packed window of several pairs
    # (start s, end s, text) of each pair in the audio; empty: the whole clip is one span of `text`
    spans: tuple[tuple[float, float, str], ...] = ()
    prompt: str | None = None  # the previous-text prompt the window is trained under (a glossary), if any

    @property
    def seconds(self) -> float:
        return len(self.audio) / SAMPLE_RATE

    def timed_spans(self) -> tuple[tuple[float, float, str], ...]:
        return self.spans or ((0.0, self.seconds, self.text),)


@dataclass(frozen=True)
class Fold:
    """One round of k-fold: a model trained on `train` is judged on `held_out` (other recordings)."""

    train: list[Clip]
    held_out: list[Clip]


@dataclass(frozen=True)
class GuildData:
    clips: list[Clip]
    folds: list[Fold]
    roles: dict[int, str]  # media id -> "dev" (chooses settings) or "test" (decides promotion)
    skipped: list[str]  # one line per pair that could not be used, for the job report

    def role_of(self, clip: Clip) -> str:
        return self.roles[clip.media_id]

    @property
    def words(self) -> int:
        return sum(len(c.text.split()) for c in self.clips)


class DatasetError(UserError):
    """The guild's data cannot train a model (too few pairs, no audio left)."""


def load_clips(pairs: Sequence[PairRow]) -> tuple[list[Clip], list[str]]:
    """Read each pair's audio span; a missing or corrupt file is skipped and reported, not fatal."""
    clips: list[Clip] = []
    skipped: list[str] = []
    for pair in pairs:
        if not pair.audio_path:
            skipped.append(f"pair {pair.id}: its audio was deleted")
            continue
        try:
            audio = load_audio(Path(pair.audio_path), pair.start, pair.end)
        except (OSError, EOFError, ValueError, wave.Error, UserError) as exc:
            skipped.append(f"pair {pair.id}: unreadable audio ({type(exc).__name__})")
            continue
        if len(audio) < SAMPLE_RATE * 0.2 or not np.isfinite(audio).all():
            skipped.append(f"pair {pair.id}: audio shorter than 0.2 s or invalid")
            continue
        clips.append(Clip(audio, pair.text, pair.media_id, pair.id))
    return clips, skipped


def assign_recordings(media_ids: Sequence[int], k: int, seed: int) -> tuple[dict[int, int], dict[int, str]]:
    """Each recording's fold and role, from a stable hash so the same pairs always split the same way.

    Folds and roles go by recording, never by pair: chunks of one recording share a voice and a topic, so
    a score on a recording the model trained on would reward memorising it. Roles alternate within each
    fold, so every fold holds out dev and test recordings: its dev half stops its training and chooses merge
    scale and hints, its test half decides. (Alternating over the whole order instead made the role follow
    the fold whenever k is even: with 2 folds one fold held out only dev recordings and the other only
    test ones, which then trained with nothing to stop it.)
    """
    order = sorted(set(media_ids), key=lambda m: _stable_hash(f"{seed}:{m}"))
    folds = {m: i % k for i, m in enumerate(order)}
    # Within a fold the roles alternate; each fold starts on the other role than the one before, so two
    # recordings still give one dev and one test.
    roles = {m: ("dev" if (i // k + i % k) % 2 == 0 else "test") for i, m in enumerate(order)}
    return folds, roles


def k_folds(clips: Sequence[Clip], k: int, seed: int) -> tuple[list[Fold], dict[int, str]]:
    media_ids = [c.media_id for c in clips]
    if len(set(media_ids)) < 2:
        raise DatasetError(
            "training needs corrections of at least two different recordings (each is judged by a model "
            "that never heard it); correct another caption"
        )
    k = max(2, min(k, len(set(media_ids))))
    fold_of, roles = assign_recordings(media_ids, k, seed)
    folds = [
        Fold(
            [c for c in clips if fold_of[c.media_id] != f],
            [c for c in clips if fold_of[c.media_id] == f],
        )
        for f in range(k)
    ]
    return folds, roles


def load_guild_data(
    pairs: Sequence[PairRow], *, min_pairs: int, folds: int, seed: int, min_words: int = 0
) -> GuildData:
    if len(pairs) < min_pairs:
        raise DatasetError(
            f"this server has {len(pairs)} training pairs; at least {min_pairs} are needed to retrain "
            "(correct more captions)"
        )
    clips, skipped = load_clips(pairs)
    if not clips:
        raise DatasetError("none of this server's training pairs has audio left (deleted or expired)")
    if len(clips) < min_pairs:
        raise DatasetError(
            f"only {len(clips)} of {len(pairs)} training pairs have usable audio; at least {min_pairs} are "
            "needed to retrain"
        )
    fold_list, roles = k_folds(clips, folds, seed)
    data = GuildData(clips, fold_list, roles, skipped)
    if data.words < min_words:
        per_clip = max(1.0, data.words / len(clips))
        needed = math.ceil((min_words - data.words) / per_clip)
        raise DatasetError(
            f"not enough corrected speech to judge a new model: {data.words} words, {min_words} needed; "
            f"correct about {needed} more voice notes, then retrain (nothing was changed)"
        )
    return data


def pack(clips: Sequence[Clip], max_seconds: float, rng: random.Random) -> list[Clip]:
    """Concatenate clips in a random order into windows of at most max_seconds (0: no packing)."""
    order = list(clips)
    rng.shuffle(order)
    if max_seconds <= 0:
        return order
    gap = np.zeros(int(PACK_GAP_SECONDS * SAMPLE_RATE), dtype=np.float32)
    windows: list[Clip] = []
    audio: list[np.ndarray] = []
    spans: list[tuple[float, float, str]] = []
    length = 0.0

    def window() -> Clip:
        return Clip(np.concatenate(audio), " ".join(t for _, _, t in spans), -1, spans=tuple(spans))

    for clip in order:
        added = clip.seconds + (PACK_GAP_SECONDS if audio else 0.0)
        if audio and length + added > max_seconds:
            windows.append(window())
            audio, spans, length, added = [], [], 0.0, clip.seconds
        if audio:
            audio.append(gap)
        audio.append(clip.audio)
        spans.append((length + added - clip.seconds, length + added, clip.text))
        length += added
    if audio:
        windows.append(window())
    return windows


class WhisperInputs:
    """Turns clips into the model's inputs: faster-whisper's log-mel features and masked label ids."""

    def __init__(self, base_hf_dir: Path, language: str | None, timestamps: bool = False) -> None:
        from faster_whisper.feature_extractor import FeatureExtractor
        from transformers import WhisperConfig, WhisperTokenizer

        config = WhisperConfig.from_pretrained(base_hf_dir)
        self.extractor = FeatureExtractor(feature_size=config.num_mel_bins)
        self.tokenizer = WhisperTokenizer.from_pretrained(base_hf_dir)
        if self.tokenizer.language is None and language and _is_multilingual(config):
            self.tokenizer.set_prefix_tokens(
                language=language, task="transcribe", predict_timestamps=timestamps
            )
        else:
            self.tokenizer.set_prefix_tokens(predict_timestamps=timestamps)
        self.timestamps = timestamps
        self.first_timestamp = self.tokenizer.convert_tokens_to_ids("<|notimestamps|>") + 1
        self.decoder_start = config.decoder_start_token_id
        self.start_of_prev = self.tokenizer.convert_tokens_to_ids("<|startofprev|>")
        self.max_label_tokens = config.max_target_positions - 1
        self.max_prompt_tokens = config.max_target_positions // 2 - 1  # what faster-whisper keeps of a prompt

    def features(self, audio: np.ndarray) -> np.ndarray:
        """Exactly what faster-whisper feeds the encoder for this audio: mel of the clip, padded to 3000."""
        from faster_whisper.audio import pad_or_trim

        mel = self.extractor(audio[: int(WINDOW_SECONDS * SAMPLE_RATE)])[..., :-1]
        return pad_or_trim(mel).astype(np.float32)

    def labels(self, clip: Clip) -> list[int]:
        """The label ids of a clip: plain text, or each pair between its start and end timestamps.

        With timestamps the labels are what faster-whisper asks the model for when it serves a voice note
        (timestamp mode, no <|notimestamps|>), so the fine-tune learns the mode it is served in.
        """
        if not self.timestamps:
            ids = self.tokenizer(" " + clip.text.strip()).input_ids
        else:
            ids = list(self.tokenizer.prefix_tokens)
            for start, end, text in clip.timed_spans():
                ids.append(self._timestamp(start))
                ids += self.tokenizer.encode(" " + text.strip(), add_special_tokens=False)
                ids.append(self._timestamp(end))
            ids.append(self.tokenizer.eos_token_id)
        if ids and ids[0] == self.decoder_start:
            ids = ids[1:]  # the model prepends the start token itself when it shifts labels right
        return ids[: self.max_label_tokens]

    def example(self, clip: Clip) -> tuple[list[int], list[int]]:
        """The decoder's input ids and the label ids of a clip, with its prompt in front when it has one.

        A prompt is laid out as faster-whisper serves an `initial_prompt`: <|startofprev|>, the prompt's
        tokens, then the start of the transcript. Its tokens are inputs only (label -100): the model learns to
        use a glossary it is given, never to write one out, which is what a model fine-tuned without it
        did when served with it (it recited the glossary).
        """
        labels = self.labels(clip)
        if not clip.prompt:
            return [self.decoder_start, *labels[:-1]], labels
        prompt = self.tokenizer.encode(" " + clip.prompt.strip(), add_special_tokens=False)
        prompt = prompt[-self.max_prompt_tokens :]
        labels = labels[: self.max_label_tokens - len(prompt) - 1]
        inputs = [self.start_of_prev, *prompt, self.decoder_start, *labels[:-1]]
        return inputs, [-100] * (len(prompt) + 1) + labels

    def _timestamp(self, seconds: float) -> int:
        """Whisper's timestamp token for a time in the window: <|0.00|> .. <|30.00|> in 0.02 s steps."""
        return self.first_timestamp + round(min(max(seconds, 0.0), WINDOW_SECONDS) / 0.02)

    def dataset(self, clips: Sequence[Clip]) -> Dataset:
        """A `datasets.Dataset` of input_features, decoder_input_ids and labels, in torch format."""
        from datasets import Dataset

        examples = [self.example(c) for c in clips]
        rows = {
            "input_features": [self.features(c.audio) for c in clips],
            "decoder_input_ids": [inputs for inputs, _ in examples],
            "labels": [labels for _, labels in examples],
            "text": [c.text for c in clips],
        }
        columns = ["input_features", "decoder_input_ids", "labels"]
        return Dataset.from_dict(rows).with_format("torch", columns=columns)


def prompted(windows: Sequence[Clip], terms: Sequence[str], share: float, rng: random.Random) -> list[Clip]:
    """About `share` of the windows carry the glossary prompt, its terms in a new order each time.

    Trained only without a prompt, the fine-tune recited the glossary when served with it; trained only with
    one, it would need the glossary to spell what it learned. Shuffling keeps it reading the prompt rather
    than its order, so terms approved after the retrain help at once.
    """
    from bot.core.transcription.serving import glossary_prompt

    kept = [t for t in terms if t.strip()]
    if not kept or share <= 0:
        return list(windows)
    out = []
    for window in windows:
        order = rng.sample(kept, len(kept))
        prompt = glossary_prompt(order) if rng.random() < share else None
        out.append(replace(window, prompt=prompt))
    return out


def collate(rows: Sequence[dict]) -> dict:
    """Stack features; pad labels with -100 so padding never counts in the loss (padded decoder inputs then
    sit after every labelled position, where a causal decoder cannot see them)."""
    import torch

    features = torch.stack([r["input_features"] for r in rows])
    longest = max(len(r["labels"]) for r in rows)
    labels = torch.full((len(rows), longest), -100, dtype=torch.long)
    inputs = torch.zeros((len(rows), longest), dtype=torch.long)
    for i, r in enumerate(rows):
        labels[i, : len(r["labels"])] = r["labels"]
        inputs[i, : len(r["decoder_input_ids"])] = r["decoder_input_ids"]
    return {"input_features": features, "decoder_input_ids": inputs, "labels": labels}


def _is_multilingual(config: WhisperConfig) -> bool:
    return config.vocab_size >= 51865


def _stable_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
