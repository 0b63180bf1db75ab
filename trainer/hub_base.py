"""The Hugging Face weights a hub base trains on (`[model] base = "small"`, "large-v3-turbo", or a hub id).

Serving uses faster-whisper's CTranslate2 conversion of the model; LoRA needs the original weights,
openai/whisper-<name>. They are fetched once into the Hugging Face cache, only the files training uses (the
repositories also hold TensorFlow and Flax copies). Offline (HF_HUB_OFFLINE=1, or no route to the hub) the
cache must already hold them; when it does not, the retrain fails in one line saying which weights are missing
and how to bring them, before anything is trained.
"""

from __future__ import annotations

import logging
from pathlib import Path

from bot.core.errors import UserError

log = logging.getLogger("trainer.hub_base")
TRAINING_FILES = ["*.json", "*.safetensors", "*.txt"]  # config, tokenizer, feature extractor, weights
# Download size of those files (the safetensors weights; large-v3 and turbo are stored in float16).
DOWNLOAD_GB = {
    "tiny": 0.15,
    "tiny.en": 0.15,
    "base": 0.29,
    "base.en": 0.29,
    "small": 0.97,
    "small.en": 0.97,
    "medium": 3.06,
    "medium.en": 3.06,
    "large-v3": 3.09,
    "large-v3-turbo": 1.62,
}


ALIASES = {"turbo": "large-v3-turbo", "large": "large-v3"}  # faster-whisper's short names


def hub_repo(base: str) -> str:
    """`small` -> openai/whisper-small; a full hub id stays as it is."""
    return base if "/" in base else f"openai/whisper-{ALIASES.get(base, base)}"


def hub_weights(base: str) -> Path:
    """The local folder holding the base's Hugging Face weights, downloading them if the hub is reachable."""
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import GatedRepoError, RepositoryNotFoundError

    repo = hub_repo(base)
    try:
        return Path(snapshot_download(repo, allow_patterns=TRAINING_FILES))
    except (GatedRepoError, RepositoryNotFoundError):
        raise UserError(
            f'[model] base = "{base}": the Hugging Face hub has no public model {repo} to train on;'
            ' use a Whisper size ("small", "large-v3-turbo"), a hub id or a local folder'
        ) from None
    except Exception as exc:  # offline and not cached, no route, a broken download: all mean "bring them"
        log.info("the weights of %s could not be fetched: %r", repo, exc)
        raise UserError(missing_weights(base)) from None


def missing_weights(base: str) -> str:
    repo = hub_repo(base)
    known = ALIASES.get(base, base)
    size = f" (about {DOWNLOAD_GB[known]:.2f} GB)" if known in DOWNLOAD_GB else ""
    include = " ".join(f'"{pattern}"' for pattern in TRAINING_FILES)
    return (
        f'training [model] base = "{base}" needs the Hugging Face weights {repo}{size}, which are not in this'
        f" machine's Hugging Face cache and the hub cannot be reached; on a machine online run"
        f" `hf download {repo} --include {include}`, copy its Hugging Face cache (~/.cache/huggingface, or"
        " $HF_HOME) to this machine, then retrain"
    )
