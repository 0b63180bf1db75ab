"""Where a retrain trains: the CPU, a CUDA GPU, or several GPUs of one `accelerate launch`.

The CPU path is the plain PyTorch loop the tests and every single-machine install run, kept bit for bit. A GPU
(or several processes) goes through Hugging Face Accelerate instead: it places the model and batches on the
device, applies bf16 autocast (fp16 with a gradient scaler on GPUs without bf16) and, under
`accelerate launch`, wraps the model for data-parallel training. One Accelerator per process: Accelerate
keeps its state process-wide, so asking twice returns the same one.
"""

from __future__ import annotations

import functools
import os
from datetime import timedelta
from typing import Any

from bot.core.errors import UserError

# Followers of a multi-GPU worker wait in a collective while the main process evaluates (minutes) or waits
# for the next job; the default 10 minute timeout would kill them mid-job.
COLLECTIVE_TIMEOUT = timedelta(hours=12)


def resolve_device(setting: str) -> str:
    """`[training] device` made concrete: "cuda" when asked for or ("auto") when torch sees a GPU."""
    import torch

    if setting == "cpu":
        return "cpu"
    available = torch.cuda.is_available()
    if setting == "cuda" and not available:
        raise UserError(
            '[training] device = "cuda", but torch sees no CUDA GPU here (a CPU build of torch, or no driver);'
            ' set device = "auto" or "cpu"'
        )
    return "cuda" if available else "cpu"


def launched_processes() -> int:
    """How many processes `accelerate launch` (or torchrun) started for this worker; 1 when run plainly."""
    return int(os.environ.get("WORLD_SIZE", "1"))


def wants_accelerate(device: str) -> bool:
    """The Accelerate loop on a GPU or under a multi-process launch; the plain loop on one CPU process."""
    return device == "cuda" or launched_processes() > 1


@functools.cache
def accelerator(device: str) -> Any:
    """This process's Accelerator for `device`: bf16 where the GPU has it, else fp16; none on the CPU."""
    import torch
    from accelerate import Accelerator
    from accelerate.utils import InitProcessGroupKwargs

    handlers = [InitProcessGroupKwargs(timeout=COLLECTIVE_TIMEOUT)]
    if device == "cpu":
        return Accelerator(cpu=True, mixed_precision="no", kwargs_handlers=handlers)
    # The trainer asks for deterministic kernels (train.seed_everything); cuBLAS has them only with a fixed
    # workspace, set before its first use, else every matmul warns and may differ run to run.
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    precision = "bf16" if torch.cuda.is_bf16_supported() else "fp16"
    return Accelerator(mixed_precision=precision, kwargs_handlers=handlers)
