"""Export a (merged) Hugging Face Whisper folder to CTranslate2 for faster-whisper, atomically.

ctranslate2's converter does the weights; this module fixes what it leaves out or gets wrong for
us (see ``shared/notes/whisper-offline.md``, pitfalls 1 and 6): ``preprocessor_config.json``
(faster-whisper reads n_mels from it), the base ``tokenizer.json`` (else faster-whisper asks the
hub for one), and the base config's ``alignment_heads``/``lang_ids``/suppress lists (the
converter's defaults differ from the served model's).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Collection
from pathlib import Path

from bot.core.transcription.learned_words import write_learned_words
from trainer.ct2_import import atomic_dir

CARRIED_CONFIG_KEYS = ("alignment_heads", "lang_ids", "suppress_ids", "suppress_ids_begin")


def export_ct2(
    hf_dir: Path,
    out_dir: Path,
    *,
    base_ct2_dir: Path | None,
    quantization: str = "int8",
    learned: Collection[str] = (),
) -> Path:
    """Convert ``hf_dir`` to a CTranslate2 model at ``out_dir`` and return ``out_dir``.

    ``out_dir`` must not exist. The model is built in a temp folder beside it, flushed to disk
    and renamed, so on any failure (a broken input, a full disk) ``out_dir`` does not appear and
    the temp folder is removed; the error propagates. ``learned``: the words the model learned, stored
    with it (bot/core/transcription/learned_words.py), so a model never appears without them.
    """
    hf_dir, out_dir = Path(hf_dir), Path(out_dir)
    with atomic_dir(out_dir) as tmp:
        convert(hf_dir, tmp, quantization)
        write_preprocessor_config(hf_dir, tmp)
        tokenizer_source = Path(base_ct2_dir) if base_ct2_dir is not None else hf_dir
        copy_tokenizer(tokenizer_source, tmp)
        if base_ct2_dir is not None:
            carry_base_config(Path(base_ct2_dir), tmp)
        write_learned_words(tmp, learned)
    return out_dir


def convert(hf_dir: Path, tmp: Path, quantization: str) -> None:
    """Run ctranslate2's own converter on a local folder (``force`` because ``tmp`` exists)."""
    from ctranslate2.converters import TransformersConverter

    if not (hf_dir / "config.json").is_file():
        raise FileNotFoundError(f"{hf_dir} is not a Hugging Face model folder (no config.json)")
    TransformersConverter(str(hf_dir)).convert(str(tmp), quantization=quantization, force=True)


def write_preprocessor_config(hf_dir: Path, tmp: Path) -> None:
    """Copy ``preprocessor_config.json``, or write one from the model's n_mels if the folder has none."""
    source = hf_dir / "preprocessor_config.json"
    if source.is_file():
        shutil.copyfile(source, tmp / "preprocessor_config.json")
        return
    from transformers import WhisperFeatureExtractor

    n_mels = json.loads((hf_dir / "config.json").read_text(encoding="utf-8"))["num_mel_bins"]
    WhisperFeatureExtractor(feature_size=n_mels).to_json_file(tmp / "preprocessor_config.json")


def copy_tokenizer(source_dir: Path, tmp: Path) -> None:
    source = source_dir / "tokenizer.json"
    if not source.is_file():
        raise FileNotFoundError(f"no tokenizer.json in {source_dir}")
    shutil.copyfile(source, tmp / "tokenizer.json")


def carry_base_config(base_ct2_dir: Path, tmp: Path) -> None:
    """Overwrite the converter's defaults with the base model's values where the base has them."""
    base_path = base_ct2_dir / "config.json"
    if not base_path.is_file():
        return
    base = json.loads(base_path.read_text(encoding="utf-8"))
    config_path = tmp / "config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config.update({key: base[key] for key in CARRIED_CONFIG_KEYS if key in base})
    config_path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
