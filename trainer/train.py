"""LoRA fine-tuning of Whisper on a guild's packed windows, keeping the epoch with the best validation WER.

The recipe is the classic one (LoRA r=32, alpha=64 on q_proj and v_proj, AdamW) with what was measured here:
packed 30 s windows re-packed in a new order each epoch, batch 1. It is a plain PyTorch loop, as in peft's
own examples: the per-epoch re-packing and the WER-based choice of epoch are two lines here and a fight
with Seq2SeqTrainer's fixed dataset and checkpoint folders.
"""

from __future__ import annotations

import json
import random
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.config import TrainingConfig
from trainer.dataset import Clip, WhisperInputs, collate, pack
from trainer.evaluate import word_error_rate

Progress = Callable[[str, float], None]
HF_FILES = (
    "tokenizer.json",
    "tokenizer_config.json",
    "vocab.json",
    "merges.txt",
    "normalizer.json",
    "added_tokens.json",
    "special_tokens_map.json",
    "preprocessor_config.json",
    "processor_config.json",
    "generation_config.json",
)


@dataclass
class TrainResult:
    merged_dir: Path
    adapter_dir: Path
    best_epoch: int
    curve: list[dict] = field(default_factory=list)  # per epoch: train_loss, validation_wer, seconds
    steps: int = 0
    seconds: float = 0.0
    trainable_parameters: int = 0


def train_adapter(
    base_hf_dir: Path,
    train_clips: Sequence[Clip],
    validation_clips: Sequence[Clip],
    config: TrainingConfig,
    work_dir: Path,
    *,
    language: str | None = "en",
    progress: Progress | None = None,
) -> TrainResult:
    """Train, keep the best epoch's adapter, merge it into the base and save both under work_dir."""
    import torch
    from peft import get_peft_model_state_dict, set_peft_model_state_dict

    report = progress or (lambda stage, fraction: None)
    torch.manual_seed(config.seed)
    rng = random.Random(config.seed)
    inputs = WhisperInputs(base_hf_dir, language)
    model, optimizer = lora_model(base_hf_dir, config)
    validation = inputs.dataset(validation_clips)
    references = [c.text for c in validation_clips]

    started = time.monotonic()
    result = TrainResult(work_dir / "merged", work_dir / "adapter", 0)
    result.trainable_parameters = sum(p.numel() for p in model.parameters() if p.requires_grad)
    best_wer = _validation_wer(model, inputs, validation, references)
    result.curve.append({"epoch": 0, "train_loss": None, "validation_wer": best_wer, "seconds": 0.0})
    best_state = {k: v.clone() for k, v in get_peft_model_state_dict(model).items()}
    for epoch in range(1, config.epochs + 1):
        windows = inputs.dataset(pack(train_clips, config.pack_seconds, rng))
        loss = _train_epoch(model, optimizer, windows, config.batch_size, result)
        wer = _validation_wer(model, inputs, validation, references)
        result.curve.append(
            {"epoch": epoch, "train_loss": loss, "validation_wer": wer, "seconds": time.monotonic() - started}
        )
        if wer < best_wer:
            best_wer, result.best_epoch = wer, epoch
            best_state = {k: v.clone() for k, v in get_peft_model_state_dict(model).items()}
        report("training", epoch / config.epochs)
    set_peft_model_state_dict(model, best_state)
    model.save_pretrained(result.adapter_dir)
    merged = model.merge_and_unload()
    merged.save_pretrained(result.merged_dir)
    _copy_processing_files(base_hf_dir, result.merged_dir)
    result.seconds = time.monotonic() - started
    (work_dir / "curve.json").write_text(json.dumps(result.curve, indent=1), encoding="utf-8")
    return result


def lora_model(base_hf_dir: Path, config: TrainingConfig):
    """The base Whisper with LoRA adapters on the configured modules, and an AdamW over the adapters only."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import WhisperForConditionalGeneration

    model = WhisperForConditionalGeneration.from_pretrained(base_hf_dir, dtype=torch.float32)
    lora = LoraConfig(
        r=config.lora_r,
        lora_alpha=config.lora_alpha,
        lora_dropout=config.lora_dropout,
        target_modules=list(config.target_modules),
        bias="none",
    )
    peft_model = get_peft_model(model, lora)
    trainable = [p for p in peft_model.parameters() if p.requires_grad]
    return peft_model, torch.optim.AdamW(trainable, lr=config.learning_rate)


def _train_epoch(model, optimizer, windows, batch_size: int, result: TrainResult) -> float:
    model.train()
    losses = []
    for first in range(0, len(windows), batch_size):
        batch = collate([windows[i] for i in range(first, min(first + batch_size, len(windows)))])
        loss = model(input_features=batch["input_features"], labels=batch["labels"]).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        losses.append(float(loss.detach()))
        result.steps += 1
    return sum(losses) / max(1, len(losses))


def _validation_wer(model, inputs: WhisperInputs, validation, references: Sequence[str]) -> float:
    """Greedy decoding of the held-out clips; cheap enough to run every epoch and pick the best one."""
    import torch

    model.eval()
    hypotheses = []
    with torch.no_grad():
        for first in range(0, len(validation), 8):
            rows = [validation[i] for i in range(first, min(first + 8, len(validation)))]
            features = torch.stack([r["input_features"] for r in rows])
            ids = model.generate(input_features=features, max_new_tokens=200, num_beams=1, do_sample=False)
            hypotheses += inputs.tokenizer.batch_decode(ids, skip_special_tokens=True)
    model.train()
    return word_error_rate(references, hypotheses)


def _copy_processing_files(base_hf_dir: Path, merged_dir: Path) -> None:
    """The merged model needs the base's tokenizer and feature extractor to be converted and served."""
    for name in HF_FILES:
        source = base_hf_dir / name
        if source.exists():
            shutil.copy2(source, merged_dir / name)
