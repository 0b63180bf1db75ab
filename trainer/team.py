"""The processes of one `accelerate launch -m trainer worker`: the main one is the worker, the others train with it.

Only the main process touches the database and the data dir: it claims a job, builds the data, evaluates,
exports and promotes, exactly as a single worker does. The others each hold a GPU and wait. When the main
process starts a fit (trainer/train.py), it first sends them the fit's arguments, and then every process runs
the same Accelerate loop on its share of the windows, averaging gradients. When the main process stops, it
dismisses them. A retrain is a handful of fits separated by minutes of evaluation on the main process alone,
so sharing each fit, rather than the whole job, keeps every side effect in one process.

A fit that fails halfway leaves the others inside a collective operation that will never complete; the main
process then exits with an error instead of dismissing them, and the launcher stops the rest (the job itself
was already failed with its reason). Restart the launch to go on.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.core.config import TrainingConfig
from trainer.dataset import Clip

log = logging.getLogger("trainer.team")
FIT, STOP = "fit", "stop"
_state = {"fitting": False}


def announce_fit(
    base_hf_dir: Path,
    train_clips: Sequence[Clip],
    dev_clips: Sequence[Clip],
    config: TrainingConfig,
    epochs: int,
    language: str | None,
) -> None:
    """Main process: tell the others to run this fit with it (they must join before training starts)."""
    _send([FIT, (Path(base_hf_dir), list(train_clips), list(dev_clips), config, epochs, language)])
    _state["fitting"] = True


def fit_finished() -> None:
    _state["fitting"] = False


def broke_off() -> bool:
    """A fit this (main) process announced did not finish: the others are stuck inside it."""
    return _state["fitting"]


def follow() -> int:
    """Another process: run every fit the main process announces until it dismisses us; returns how many."""
    from trainer.train import fit_adapter

    done = 0
    while True:
        kind, arguments = _receive()
        if kind != FIT:
            return done
        base_hf_dir, train_clips, dev_clips, config, epochs, language = arguments
        fit_adapter(base_hf_dir, train_clips, dev_clips, config, epochs=epochs, language=language)
        done += 1


def dismiss() -> None:
    """Main process, on its way out: release the others, or, after a fit that broke off, end the launch."""
    if broke_off():
        log.error("a fit broke off mid-training; ending the launch so its other processes stop too")
        logging.shutdown()
        os._exit(1)
    _send([STOP, None])


def leave() -> None:
    """Close this process's part of the launch's process group before the interpreter exits: a gloo thread
    still running at exit aborted a process now and then ("terminate called without an active exception")."""
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        dist.destroy_process_group()


def _send(message: list[Any]) -> None:
    from accelerate.utils import broadcast_object_list

    _use_this_process_gpu()
    broadcast_object_list(message, from_process=0)


def _receive() -> list[Any]:
    from accelerate.utils import broadcast_object_list

    _use_this_process_gpu()
    box: list[Any] = [None, None]
    broadcast_object_list(box, from_process=0)
    return box


def _use_this_process_gpu() -> None:
    """NCCL sends objects through the current CUDA device, which is per thread; the main process fits in
    the worker's executor thread, not the thread Accelerate set the device in."""
    import torch
    from accelerate import PartialState

    device = PartialState().device
    if device.type == "cuda":
        torch.cuda.set_device(device)
