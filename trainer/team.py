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

import dataclasses
import json
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

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
    glossary: Sequence[str] = (),
) -> None:
    """Main process: tell the others to run this fit with it (they must join before training starts)."""
    fit = (Path(base_hf_dir), list(train_clips), list(dev_clips), config, epochs, language, tuple(glossary))
    _send([FIT, fit])
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
        base_hf_dir, train_clips, dev_clips, config, epochs, language, glossary = arguments
        fit_adapter(
            base_hf_dir, train_clips, dev_clips, config, epochs=epochs, language=language, glossary=glossary
        )
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


# --- the wire: JSON and raw float32 audio, never pickle --------------------------------------------------
#
# Why not broadcast_object_list: it unpickles what arrives, and the process group's peers are not
# authenticated, so anyone who reaches the rendezvous port could run code in every GPU process. A fit's
# arguments are plain data: a path, the training settings, and clips (text, ids, spans, audio samples).

_HEADER = 8  # bytes of the JSON header's length, big-endian


def encode(message: list[Any]) -> bytes:
    """[FIT, (base, train, dev, config, epochs, language, glossary)] or [STOP, None] as bytes: a length, a JSON header,
    then every clip's audio as float32 in order."""
    kind, arguments = message
    if kind == STOP:
        header: dict[str, Any] = {"kind": STOP}
        audio: list[np.ndarray] = []
    elif kind == FIT:
        base, train, dev, config, epochs, language, glossary = arguments
        audio = [np.ascontiguousarray(c.audio, dtype=np.float32) for c in [*train, *dev]]
        header = {
            "kind": FIT,
            "base": str(base),
            "config": dataclasses.asdict(config),
            "epochs": int(epochs),
            "language": language,
            "glossary": [str(t) for t in glossary],
            "train": [_clip_header(c) for c in train],
            "dev": [_clip_header(c) for c in dev],
        }
    else:
        raise ValueError(f"unknown team message {kind!r}")
    head = json.dumps(header).encode("utf-8")
    return len(head).to_bytes(_HEADER, "big") + head + b"".join(a.tobytes() for a in audio)


def decode(data: bytes) -> list[Any]:
    """What encode made, checked field by field; anything else is a ValueError (nothing is executed)."""
    try:
        return _decode(data)
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"a malformed team message ({type(exc).__name__})") from None


def _decode(data: bytes) -> list[Any]:
    if len(data) < _HEADER:
        raise ValueError("a team message shorter than its header")
    size = int.from_bytes(data[:_HEADER], "big")
    if size > len(data) - _HEADER:
        raise ValueError("a team message cut short")
    header = json.loads(data[_HEADER : _HEADER + size].decode("utf-8"))
    if not isinstance(header, dict) or header.get("kind") not in (FIT, STOP):
        raise ValueError("not a team message")
    if header["kind"] == STOP:
        return [STOP, None]
    audio = memoryview(data)[_HEADER + size :]
    offset = 0

    def clips(entries: list[dict[str, Any]]) -> list[Clip]:
        nonlocal offset
        made = []
        for entry in entries:
            samples = int(entry["samples"])
            end = offset + samples * 4
            if samples < 0 or end > len(audio):
                raise ValueError("a team message's audio is cut short")
            made.append(
                Clip(
                    np.frombuffer(audio[offset:end], dtype=np.float32).copy(),
                    str(entry["text"]),
                    int(entry["media_id"]),
                    int(entry["pair_id"]),
                    tuple((float(a), float(b), str(t)) for a, b, t in entry["spans"]),
                )
            )
            offset = end
        return made

    train, dev = clips(header["train"]), clips(header["dev"])
    if offset != len(audio):
        raise ValueError("a team message has audio no clip names")
    config = TrainingConfig(**header["config"])
    language = header["language"]
    if language is not None and not isinstance(language, str):
        raise ValueError("a team message's language is not text")
    glossary = tuple(str(t) for t in header["glossary"])
    fit = (Path(str(header["base"])), train, dev, config, int(header["epochs"]), language, glossary)
    return [FIT, fit]


def _clip_header(clip: Clip) -> dict[str, Any]:
    return {
        "text": clip.text,
        "media_id": clip.media_id,
        "pair_id": clip.pair_id,
        "spans": [list(span) for span in clip.spans],
        "samples": len(clip.audio),
    }


def _send(message: list[Any]) -> None:
    """Main process: the message's length, then its bytes, as two tensor broadcasts (no pickle)."""
    import torch
    from accelerate.utils import broadcast

    device = _use_this_process_gpu()
    data = encode(message)
    broadcast(torch.tensor([len(data)], dtype=torch.int64, device=device), from_process=0)
    payload = torch.frombuffer(bytearray(data), dtype=torch.uint8).to(device)
    broadcast(payload, from_process=0)


def _receive() -> list[Any]:
    import torch
    from accelerate.utils import broadcast

    device = _use_this_process_gpu()
    size = broadcast(torch.zeros(1, dtype=torch.int64, device=device), from_process=0)
    payload = broadcast(torch.zeros(int(size.item()), dtype=torch.uint8, device=device), from_process=0)
    return decode(payload.cpu().numpy().tobytes())


def _use_this_process_gpu() -> Any:
    """NCCL sends tensors through the current CUDA device, which is per thread; the main process fits in
    the worker's executor thread, not the thread Accelerate set the device in. Returns the device."""
    import torch
    from accelerate import PartialState

    device = PartialState().device
    if device.type == "cuda":
        torch.cuda.set_device(device)
    return device
