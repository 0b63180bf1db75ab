"""LoRA fine-tuning of Whisper on a guild's packed windows, stopping early on the dev recordings' loss.

The recipe is the classic one (LoRA r=32, alpha=64 on q_proj and v_proj, AdamW) with what was measured here:
packed 30 s windows re-packed in a new order each epoch, batch 1, warmup then linear decay, every random
source seeded. It is a plain PyTorch loop, as in peft's own examples: the per-epoch re-packing and the
early stop are two lines here and a fight with Seq2SeqTrainer's fixed dataset and checkpoint folders.
On a GPU, or in several processes of `accelerate launch`, the same loop runs through Accelerate (placement,
mixed precision, data parallelism: trainer/device.py); on one CPU process it is the plain loop, unchanged.
"""

from __future__ import annotations

import contextlib
import math
import random
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.core.config import TrainingConfig
from trainer.dataset import Clip, WhisperInputs, collate, pack, prompted
from trainer.device import accelerator, resolve_device, wants_accelerate

if TYPE_CHECKING:  # torch, peft and accelerate load only when a fit runs
    import torch
    from accelerate import Accelerator
    from datasets import Dataset

    Optimizer = torch.optim.Optimizer
    Schedule = torch.optim.lr_scheduler.LambdaLR

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
class Fit:
    """A trained adapter, set to its best epoch, and how it got there."""

    model: Any  # the peft model, holding the best epoch's adapter
    best_epoch: int  # 0: nothing beat the untouched base on the dev recordings
    curve: list[dict] = field(default_factory=list)  # per epoch: train_loss, dev_loss, seconds
    steps: int = 0
    seconds: float = 0.0
    trainable_parameters: int = 0

    def save_adapter(self, folder: Path) -> Path:
        self.model.save_pretrained(folder)
        return folder


def seed_everything(seed: int) -> None:
    """Every random source a retrain touches: packing order, LoRA initialisation, dropout.

    Deterministic kernels cost nothing measurable for this model on CPU; they make the same pairs, settings
    and seed give the same adapter on one machine, so two runs can be compared at all.
    """
    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)


def fit_adapter(
    base_hf_dir: Path,
    train_clips: Sequence[Clip],
    dev_clips: Sequence[Clip],
    config: TrainingConfig,
    *,
    epochs: int,
    language: str | None = "en",
    progress: Progress | None = None,
    accelerate: bool | None = None,
    glossary: Sequence[str] = (),
) -> Fit:
    """Train LoRA on packed windows with warmup and linear decay over `config.epochs`, stopping at `epochs`.

    With dev clips, each epoch ends with the dev loss (teacher-forced: one forward pass, cheap enough for
    every epoch), training stops after `patience` epochs without improvement, and the best epoch's adapter
    is kept. Without dev clips (the served model, trained on every pair) it trains exactly `epochs` epochs
    on the same schedule, so it sees the learning rate the folds chose that epoch count under.

    `accelerate` None chooses by `config.device` (the Accelerate loop on a GPU or under a multi-process
    launch); True runs the Accelerate loop on the CPU too, which is how the tests cover that path. In a
    multi-process launch the main process hands its arguments to the others first (trainer/team.py).

    With a `glossary` (the server's terms), about `config.glossary_share` of the windows are trained under
    it as the prompt, as the server's glossary is served (`prompted`); the dev windows too, in the same share.
    """
    from peft import get_peft_model_state_dict, set_peft_model_state_dict

    report = progress or (lambda stage, fraction: None)
    device = resolve_device(config.device)
    accel = accelerator(device) if (wants_accelerate(device) if accelerate is None else accelerate) else None
    leads = accel is not None and accel.num_processes > 1 and accel.is_main_process
    if leads:
        from trainer import team

        team.announce_fit(base_hf_dir, train_clips, dev_clips, config, epochs, language, glossary)
    seed_everything(config.seed)
    rng = random.Random(config.seed)
    inputs = WhisperInputs(base_hf_dir, language, timestamps=config.label_timestamps)
    model, optimizer = lora_model(base_hf_dir, config)
    processes = accel.num_processes if accel is not None else 1  # each takes its share of the windows
    per_epoch = math.ceil(
        len(pack(train_clips, config.pack_seconds, random.Random(config.seed)))
        / (config.batch_size * processes)
    )
    scheduler = _warmup_then_decay(optimizer, per_epoch * config.epochs, config.warmup_fraction)
    trained = model  # what the loop calls: the model itself, or Accelerate's (possibly data-parallel) wrapper
    if accel is not None:
        trained, optimizer = _prepare(accel, model, optimizer)
    share = config.glossary_share
    dev_windows = pack(dev_clips, config.pack_seconds, random.Random(config.seed))
    dev_windows = prompted(dev_windows, glossary, share, random.Random(config.seed + 1))
    dev = inputs.dataset(dev_windows) if dev_clips else None

    started = time.monotonic()
    fit = Fit(model, 0)
    fit.trainable_parameters = sum(p.numel() for p in model.parameters() if p.requires_grad)
    best_loss = _dev_loss(model, dev, accel) if dev is not None else None
    fit.curve.append({"epoch": 0, "train_loss": None, "dev_loss": best_loss, "seconds": 0.0})
    best_state = {k: v.clone() for k, v in get_peft_model_state_dict(model).items()}
    for epoch in range(1, epochs + 1):
        windows = inputs.dataset(prompted(pack(train_clips, config.pack_seconds, rng), glossary, share, rng))
        loss = _train_epoch(trained, optimizer, scheduler, windows, config.batch_size, fit, accel)
        dev_loss = _dev_loss(model, dev, accel) if dev is not None else None
        fit.curve.append(
            {"epoch": epoch, "train_loss": loss, "dev_loss": dev_loss, "seconds": time.monotonic() - started}
        )
        report("training", epoch / epochs)
        if dev_loss is None or best_loss is None or dev_loss < best_loss:
            best_loss, fit.best_epoch = dev_loss, epoch
            best_state = {k: v.clone() for k, v in get_peft_model_state_dict(model).items()}
        elif epoch - fit.best_epoch >= config.patience:
            break
    set_peft_model_state_dict(model, best_state)
    if accel is not None:
        accel.free_memory()  # drops Accelerate's references, so each fold's model can be freed in turn
    if leads:
        team.fit_finished()
    fit.seconds = time.monotonic() - started
    return fit


def merge_adapter(base_hf_dir: Path, adapter_dir: Path, scale: float, out_dir: Path) -> Path:
    """The base with `scale` times the LoRA delta merged in, saved as a plain Whisper folder.

    Half the delta kept general speech while keeping most of what was learned (the notes' merge-scale
    table); the dev recordings choose the scale per server.
    """
    import torch
    from peft import PeftModel
    from transformers import WhisperForConditionalGeneration

    base = WhisperForConditionalGeneration.from_pretrained(base_hf_dir, dtype=torch.float32)
    model = PeftModel.from_pretrained(base, adapter_dir)
    for module in model.modules():
        scaling = getattr(module, "scaling", None)
        if isinstance(scaling, dict):
            for name in scaling:
                scaling[name] *= scale
    merged = model.merge_and_unload()
    merged.save_pretrained(out_dir)
    _copy_processing_files(base_hf_dir, out_dir)
    return out_dir


def lora_model(base_hf_dir: Path, config: TrainingConfig) -> tuple[Any, Optimizer]:
    """The base Whisper with LoRA adapters on the configured modules, and an AdamW over the adapters only."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import WhisperForConditionalGeneration

    model = WhisperForConditionalGeneration.from_pretrained(base_hf_dir, dtype=torch.float32)
    torch.manual_seed(config.seed)  # the adapters' initialisation, whatever loading the base consumed
    lora = LoraConfig(
        r=config.lora_r,
        lora_alpha=config.lora_alpha,
        lora_dropout=config.lora_dropout,
        target_modules=list(config.target_modules),
        exclude_modules=_excluded_parts(config.lora_parts),
        bias="none",
    )
    peft_model = get_peft_model(model, lora)
    trainable = [p for p in peft_model.parameters() if p.requires_grad]
    return peft_model, torch.optim.AdamW(trainable, lr=config.learning_rate)


def _excluded_parts(parts: Sequence[str]) -> str | None:
    """A regex of the Whisper half left without adapters. The decoder's cross-attention (`encoder_attn`) is
    the decoder's own: only the encoder stack's layers match `.encoder.layers.`."""
    left_out = [p for p in ("encoder", "decoder") if p not in parts]
    return rf".*\.({'|'.join(left_out)})\.layers\..*" if left_out else None


def _warmup_then_decay(optimizer: Optimizer, total_steps: int, warmup_fraction: float) -> Schedule:
    """Linear warmup, then linear decay to zero: the usual schedule for short fine-tunes."""
    import torch

    warmup = max(1, round(total_steps * warmup_fraction))

    def factor(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return max(0.0, (total_steps - step) / max(1, total_steps - warmup))

    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)


def _prepare(accel: Accelerator, model: Any, optimizer: Optimizer) -> tuple[Any, Optimizer]:
    """Hand the model and optimizer to Accelerate (not the schedule: its length above already counts each
    process's own steps, and it steps once per step). On a GPU, gradient checkpointing first: the
    encoder's activations for a 30 s window dominate memory, and recomputing them is cheaper than a smaller
    batch or a smaller base. (Non-reentrant, so the frozen inputs need no gradient for LoRA to get one.)"""
    if accel.device.type == "cuda":
        model.config.use_cache = False
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    return accel.prepare(model, optimizer)


def _batches(windows: Dataset, batch_size: int, accel: Accelerator | None) -> Iterator[dict]:
    """The epoch's batches in order: sliced here on the CPU; through a DataLoader Accelerate places on the
    device (and shards across processes) otherwise. Its own generator keeps the global random state, and so
    the dropout masks, exactly as the plain loop leaves them."""
    if accel is None:
        for first in range(0, len(windows), batch_size):
            yield collate([windows[i] for i in range(first, min(first + batch_size, len(windows)))])
        return
    import torch
    from torch.utils.data import DataLoader

    loader = DataLoader(windows, batch_size=batch_size, collate_fn=collate, generator=torch.Generator())
    yield from accel.prepare(loader)


def _train_epoch(
    model: Any,
    optimizer: Optimizer,
    scheduler: Schedule,
    windows: Dataset,
    batch_size: int,
    fit: Fit,
    accel: Accelerator | None = None,
) -> float:
    model.train()
    losses = []
    for batch in _batches(windows, batch_size, accel):
        loss = _loss(model, batch)
        if accel is None:
            loss.backward()
        else:
            accel.backward(loss)  # scales the loss under fp16
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad()
        losses.append(float(loss.detach()))
        fit.steps += 1
    return _agreed(sum(losses) / max(1, len(losses)), accel, "mean")


def _dev_loss(model: Any, dev: Dataset, accel: Accelerator | None = None) -> float:
    """Mean teacher-forced loss on the packed dev windows (dropout off)."""
    import torch

    model.eval()
    total = 0.0
    autocast = accel.autocast() if accel is not None else contextlib.nullcontext()
    with torch.no_grad(), autocast:
        for i in range(len(dev)):
            batch = collate([dev[i]])
            if accel is not None:
                batch = {k: v.to(accel.device) for k, v in batch.items()}
            total += float(_loss(model, batch))
    model.train()
    return _agreed(total / max(1, len(dev)), accel, "main")


def _loss(model: Any, batch: dict) -> Any:
    """The batch's loss, with the decoder inputs given: a prompted window's prompt is input, not label."""
    inputs = batch["input_features"]
    return model(
        input_features=inputs, decoder_input_ids=batch["decoder_input_ids"], labels=batch["labels"]
    ).loss


def _agreed(value: float, accel: Accelerator | None, how: str) -> float:
    """One number every process of a launch agrees on ("mean" of theirs, or the "main" one's), so all of
    them stop at the same epoch; a single process keeps its exact Python float."""
    if accel is None or accel.num_processes == 1:
        return value
    import torch
    from accelerate.utils import broadcast

    tensor = torch.tensor([value], dtype=torch.float64, device=accel.device)
    agreed = accel.reduce(tensor, "mean") if how == "mean" else broadcast(tensor, from_process=0)
    return float(agreed[0])


def _copy_processing_files(base_hf_dir: Path, merged_dir: Path) -> None:
    """The merged model needs the base's tokenizer and feature extractor to be converted and served."""
    for name in HF_FILES:
        source = base_hf_dir / name
        if source.exists():
            shutil.copy2(source, merged_dir / name)
