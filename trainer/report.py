"""What a retrain leaves for people: the training-curve picture the bot posts and the model card."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from bot.core.config import Config
from bot.core.training_report import general_speech_line, learned_line, scores_line


def plot_curve(folds: list[dict], final_curve: list[dict], out: Path, *, title: str) -> Path:
    """Each fold's dev loss (what chose the epochs) and the served model's training loss, one picture."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, dev_axis = plt.subplots(figsize=(6, 3.4), dpi=100)
    for number, fold in enumerate(folds, start=1):
        rows = [r for r in fold["curve"] if r.get("dev_loss") is not None]
        dev_axis.plot(
            [r["epoch"] for r in rows], [r["dev_loss"] for r in rows], "o-", label=f"fold {number} dev loss"
        )
    dev_axis.set_xlabel("epoch")
    dev_axis.set_ylabel("dev loss (recordings not trained on)")
    dev_axis.set_ylim(bottom=0)
    trained = [row for row in final_curve if row.get("train_loss") is not None]
    if trained:
        dev_axis.plot(
            [r["epoch"] for r in trained],
            [r["train_loss"] for r in trained],
            "s--",
            label="served model, train loss",
        )
    dev_axis.legend(fontsize=7)
    dev_axis.set_title(title)
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)
    return out


def model_card(config: Config, result: dict[str, Any]) -> str:
    training = config.training
    learned = "".join(f"\n{line}\n" for line in learned_line(result))
    return f"""# Server {result["guild_id"]} model v{result["version"]}

Fine-tuned from `{config.model.base}` on all {result["pairs"]} corrected caption chunks of this server
({result["recordings"]} recordings), with LoRA (r={training.lora_r}, alpha={training.lora_alpha},
dropout={training.lora_dropout}, modules {", ".join(training.target_modules)}), learning rate
{training.learning_rate} with warmup and linear decay, {result["epochs"]} epochs (the longest best epoch of
{result["folds"]} folds: {result["fold_best_epochs"]}); merged at scale {result["merge_scale"]} and exported
to CTranslate2 ({training.export_quantization}). Created {time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}.

Serving: {result["serving_text"]}.

Judged on {result["test_words"]} words of test recordings that no model judging them heard (k-fold):
- best free option: {scores_line(result["before"])}
- this model: {scores_line(result["after"])}
- {general_speech_line(result)}

Decision: {"promoted" if result["promoted"] else "not promoted"} ({result["reason"]}).
{learned}"""
