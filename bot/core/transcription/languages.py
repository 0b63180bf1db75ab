"""Which language a caption is made in, and whether the serving model can do it.

The order is the caller's option, then the server's `/settings language`, then `[model] language`. A
model is multilingual when it is not an English-only `.en` Whisper; with an English-only one (the bundled
tiny.en) detection (`auto`), other languages and translation are refused with one line that names the
settings that enable them, before anything is downloaded or stored.
"""

from __future__ import annotations

import re

from bot.core.config import BUNDLED_MODEL, ModelConfig
from bot.core.errors import UserError

AUTO = "auto"
TASKS = ("transcribe", "translate")
CODE = re.compile(r"[a-z]{2,3}|auto")


def checked_language(language: str | None) -> str | None:
    """A Whisper language code or `auto` (lower-cased), None when not given; UserError otherwise."""
    if language is None:
        return None
    from faster_whisper.tokenizer import _LANGUAGE_CODES  # Whisper's own list (faster-whisper loads lazily)

    code = language.strip().lower()
    if not CODE.fullmatch(code) or (code != AUTO and code not in _LANGUAGE_CODES):
        raise UserError(f"'{language[:20]}' is not a language code; use a code such as en, de or fr, or auto")
    return code


def needs_multilingual(language: str, task: str) -> bool:
    """English transcription is the only thing an English-only model can do."""
    return task == "translate" or language != "en"


def model_name(config: ModelConfig) -> str:
    return "tiny.en (the bundled default)" if config.base == BUNDLED_MODEL else config.base


def english_only_text(config: ModelConfig, language: str, task: str) -> str:
    """The one line a refused language or translation gets: what is refused and which settings enable it."""
    what = (
        "translation"
        if task == "translate"
        else ("language detection (auto)" if language == AUTO else f"language '{language}'")
    )
    return (
        f"The speech model {model_name(config)} understands English only, so {what} is not available; "
        'a server admin can enable it with a multilingual model in config.toml: [model] base = "/path/to/'
        'whisper-base" and language = "auto" (README: Languages)'
    )
