"""What a retrain leaves for people: the training-curve picture the bot posts and the model card."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from bot.config import Config


def plot_curve(curve: list[dict], out: Path, *, title: str) -> Path:
    """Training loss and validation WER per epoch, one picture (the bot attaches it to its report)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    epochs = [row["epoch"] for row in curve]
    fig, wer_axis = plt.subplots(figsize=(6, 3.4), dpi=100)
    wer_axis.plot(
        epochs, [row["validation_wer"] for row in curve], "o-", color="tab:blue", label="validation WER"
    )
    wer_axis.set_xlabel("epoch")
    wer_axis.set_ylabel("validation WER", color="tab:blue")
    wer_axis.set_ylim(bottom=0)
    trained = [row for row in curve if row["train_loss"] is not None]
    if trained:
        loss_axis = wer_axis.twinx()
        loss_axis.plot(
            [r["epoch"] for r in trained], [r["train_loss"] for r in trained], "s--", color="tab:orange"
        )
        loss_axis.set_ylabel("training loss", color="tab:orange")
    wer_axis.set_title(title)
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)
    return out


def _rate(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def model_card(config: Config, result: dict[str, Any]) -> str:
    before, after = result["before"], result["after"]
    training = config.training
    return f"""# Server {result["guild_id"]} model v{result["version"]}

Fine-tuned from `{config.model.base}` on {result["pairs_train"]} corrected caption chunks from this server,
with LoRA (r={training.lora_r}, alpha={training.lora_alpha}, dropout={training.lora_dropout},
modules {", ".join(training.target_modules)}), {training.epochs} epochs at learning rate {training.learning_rate},
best epoch {result["best_epoch"]}; merged and exported to CTranslate2 ({training.export_quantization}).
Created {time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}.

| held-out audio ({result["pairs_validation"]} chunks) | before | after |
|---|---|---|
| WER | {before["wer"]:.3f} | {after["wer"]:.3f} |
| keyword hit rate | {_rate(before["keyword_hit_rate"])} | {_rate(after["keyword_hit_rate"])} |
| general-speech WER (forgetting guard) | {before["guard_wer"]:.3f} | {after["guard_wer"]:.3f} |

Decision: {"promoted" if result["promoted"] else "not promoted"} ({result["reason"]}).
"""
