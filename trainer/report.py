"""What a retrain leaves for people: the training-curve picture the bot posts and the model card."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from bot.core.config import Config
from bot.core.retrain.report import general_speech_line, learned_line, scores_line
from bot.core.retrain.result import Curve, RetrainResult


def plot_curve(fold_curves: Sequence[Curve], final_curve: Curve, out: Path, *, title: str) -> Path:
    """Each fold's dev loss (what chose the epochs) and the served model's training loss, one picture."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, dev_axis = plt.subplots(figsize=(6, 3.4), dpi=100)
    for number, curve in enumerate(fold_curves, start=1):
        dev_axis.plot(*_points(curve, "dev_loss"), "o-", label=f"fold {number} dev loss")
    dev_axis.set_xlabel("epoch")
    dev_axis.set_ylabel("dev loss (recordings not trained on)")
    dev_axis.set_ylim(bottom=0)
    epochs, losses = _points(final_curve, "train_loss")
    if epochs:
        dev_axis.plot(epochs, losses, "s--", label="served model, train loss")
    dev_axis.legend(fontsize=7)
    dev_axis.set_title(title)
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)
    return out


def _points(curve: Curve, key: str) -> tuple[list[float], list[float]]:
    """(epochs, values) of the epochs of a curve that have `key`."""
    rows = [(r.get("epoch"), r.get(key)) for r in curve]
    kept = [(float(epoch), float(value)) for epoch, value in rows if epoch is not None and value is not None]
    return [epoch for epoch, _ in kept], [value for _, value in kept]


def model_card(config: Config, result: RetrainResult) -> str:
    training, r = config.training, result
    learned = "".join(f"\n{line}\n" for line in learned_line(r))
    return f"""# Server {r.guild_id} model v{r.version}

Fine-tuned from `{config.model.base}` on all {r.pairs} corrected caption chunks of this server
({r.recordings} recordings), with LoRA (r={training.lora_r}, alpha={training.lora_alpha},
dropout={training.lora_dropout}, modules {", ".join(training.target_modules)}), learning rate
{training.learning_rate} with warmup and linear decay, {r.epochs} epochs (the longest best epoch of
{r.folds} folds: {list(r.fold_best_epochs)}); merged at scale {r.merge_scale} and exported
to CTranslate2 ({training.export_quantization}). Created {time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}.

Serving: {r.serving_text}.

Judged on {r.test_words} words of test recordings that no model judging them heard (k-fold):
- best free option: {scores_line(r.before)}
- this model: {scores_line(r.after)}
- {general_speech_line(r)}

Decision: {"promoted" if r.promoted else "not promoted"} ({r.reason}).
{learned}"""
