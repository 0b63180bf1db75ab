"""Settings, loaded from a TOML file and validated before anything starts.

Each section is a frozen dataclass; its fields' types and `check` metadata are the validation rules, so the
documentation in config.example.toml, the defaults here and the checks cannot drift apart silently. A wrong
value raises `ConfigError` naming the file, the key and what was expected: one line, never a traceback.
"""

from __future__ import annotations

import os
import re
import socket
import tomllib
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from bot.core.errors import ConfigError

BUNDLED_MODEL = "bundled"
LOCAL_GUILD = 0  # the guild the CLI works in when none is given
DEFAULT_CONFIG_PATH = Path("config.toml")

Check = Callable[[Any], str | None]  # a setting's rule: an error text, or None when the value is right


def _positive(value: Any) -> str | None:
    return None if value > 0 else "must be greater than 0"


def _non_negative(value: Any) -> str | None:
    return None if value >= 0 else "must be 0 or more"


def _fraction(value: Any) -> str | None:
    return None if 0 < value < 1 else "must be between 0 and 1"


def _share(value: Any) -> str | None:
    return None if 0 <= value <= 1 else "must be from 0 to 1"


def _at_least(low: int) -> Check:
    def check(value: Any) -> str | None:
        return None if value >= low else f"must be {low} or more"

    return check


def _scales(value: Any) -> str | None:
    return None if value and all(0 < v <= 1 for v in value) else "must be numbers above 0 and at most 1"


def _hints(value: Any) -> str | None:
    wrong = [v for v in value if v not in ("none", "glossary", "hotwords")]
    if not value or wrong:
        return "must list one or more of 'none', 'glossary', 'hotwords'"
    return None


def _parts(value: Any) -> str | None:
    wrong = [v for v in value if v not in ("encoder", "decoder")]
    return "must list 'encoder', 'decoder' or both" if not value or wrong else None


def _one_of(*choices: str) -> Check:
    def check(value: Any) -> str | None:
        return None if value in choices else f"must be one of {', '.join(repr(c) for c in choices)}"

    return check


def _shard_count(value: Any) -> str | None:
    if value == "auto" or (isinstance(value, int) and value >= 1):
        return None
    return 'must be "auto" or a whole number of 1 or more'


def setting(default: Any, check: Check | None = None) -> Any:
    """A field with a default and an optional check returning an error text or None."""
    if isinstance(default, list):
        return field(default_factory=lambda: list(default), metadata={"check": check})
    return field(default=default, metadata={"check": check})


_URL_PASSWORD = re.compile(r"(://[^/@:\s]*:)[^@\s]*@")


def redact_password(text: str) -> str:
    """`scheme://user:password@host` with the password replaced by ***, wherever it appears in text."""
    return _URL_PASSWORD.sub(r"\1***@", text)


def _database(value: Any) -> str | None:
    """A SQLite file path, or a PostgreSQL URL; any other URL is a mistake worth one line."""
    scheme = value.split("://", 1)[0] if "://" in value else None
    if scheme is None or scheme in ("postgresql", "postgres"):
        return None
    return f"must be a SQLite file path or a postgresql:// URL, not a {scheme}:// URL"


def _role_id(value: Any) -> str | None:
    """A role id, or empty. A role name is refused: anyone with Manage Roles can create a role of that name."""
    if value.strip() == "" or value.strip().isdigit():
        return None
    return (
        "must be a role id (digits) or empty; names are no longer matched, since anyone with Manage Roles "
        "can create a role of any name. Set a server's moderator role with /settings moderators"
    )


@dataclass(frozen=True)
class StorageConfig:
    data_dir: str = setting("data")
    # empty: <data_dir>/captions.db (SQLite); or postgresql://user:password@host:port/database
    database: str = setting("", _database)
    retention_days: int = setting(90, _non_negative)  # 0 keeps audio forever


@dataclass(frozen=True)
class ModelConfig:
    base: str = setting(BUNDLED_MODEL)
    compute_type: str = setting("int8")
    device: str = setting("cpu", _one_of("cpu", "cuda", "auto"))
    threads: int = setting(0, _non_negative)
    language: str = setting("en")
    beam_size: int = setting(5, _positive)
    vad: bool = setting(True)
    # The vocabulary hint for short clips of a server that never retrained (a retrain chooses its own).
    hint: str = setting("glossary", _one_of("glossary", "hotwords", "none"))
    short_media_seconds: float = setting(30.0, _positive)  # up to this long is a voice note, else long media


@dataclass(frozen=True)
class MediaConfig:
    max_duration_seconds: float = setting(1800.0, _positive)
    max_size_mb: float = setting(200.0, _positive)
    allowed_hosts: list[str] = setting(["youtube.com", "youtu.be"])
    allow_private_addresses: bool = setting(False)
    download_timeout_seconds: float = setting(120.0, _positive)


@dataclass(frozen=True)
class CorrectionConfig:
    max_chars: int = setting(20000, _positive)
    max_chunk_seconds: float = setting(30.0, _positive)
    propose_vocabulary: bool = setting(True)
    max_proposed_terms: int = setting(10, _non_negative)  # per correction, so one reply cannot flood it
    max_vocabulary: int = setting(500, _positive)  # terms per server; every term becomes a hotword
    # proposals (from corrections and /vocab suggest) waiting for a moderator, bounded apart from the terms
    max_pending_proposals: int = setting(100, _positive)
    max_chars_per_second: float = setting(40.0, _positive)  # correction text per second of audio...
    max_chars_slack: int = setting(400, _non_negative)  # ...plus this many characters
    # corrections of this many captions that replace the same words with an approved term make a spelling
    # rule, applied to new captions at once (0: never)
    spelling_min_captions: int = setting(2, _non_negative)


@dataclass(frozen=True)
class DiscordConfig:
    token: str = setting("")
    api_base_url: str = setting("https://discord.com/api/v10")
    gateway_url: str = setting("")  # empty: discord.py's default gateway
    # a role id whose members moderate, for a server that set none with /settings moderators (empty: none)
    moderator_role: str = setting("", _role_id)
    # which bot process this is, recorded on its caption requests so that at a restart it announces only its
    # own cut-off ones (empty: this machine's host name; two bots on one host sharing a database need two)
    instance: str = setting("")
    # "auto": as many gateway shards as Discord's GET /gateway/bot recommends; a number: exactly that many
    shards: int | str = setting("auto", _shard_count)
    max_concurrent_transcriptions: int = setting(1, _positive)
    # caption requests waiting in all, beyond the running ones: a guard on memory, far above one crowd
    queue_size: int = setting(1000, _positive)
    user_requests_per_minute: int = setting(5, _positive)
    guild_requests_per_minute: int = setting(30, _positive)
    user_corrections_per_minute: int = setting(6, _positive)
    # /vocab suggest per member per server in any hour (each may propose several terms)
    user_suggestions_per_hour: int = setting(10, _positive)
    # requests admitted and not yet answered (running or waiting): one member's cap, and the bound of one
    # server's queue (servers, and members within a server, are served in rotation, so a crowd waits its turn)
    user_requests_in_flight: int = setting(2, _positive)
    guild_requests_in_flight: int = setting(100, _positive)
    # audio captioned per server in any hour, so one server cannot hold the transcriber for hours
    guild_audio_minutes_per_hour: float = setting(120.0, _positive)
    # charged against that budget when a request is admitted (its real length is added once captioned), so
    # a flood of tiny voice notes, each still decoded, transcribed and stored, is not free
    audio_seconds_charged_at_admission: float = setting(15.0, _non_negative)
    preview_chars: int = setting(1500, _positive)
    # a server with the 'text' reply style (/settings replies) gets media up to this long as words in the
    # message, the .vtt on a button; longer media gets the captions file as in the 'file' style
    text_reply_max_seconds: float = setting(120.0, _positive)

    def instance_name(self) -> str:
        """`instance`, or the host name: what a restart of this same bot process finds again."""
        return self.instance.strip() or socket.gethostname()


@dataclass(frozen=True)
class TrainingConfig:
    min_pairs: int = setting(10, _positive)
    folds: int = setting(2, _at_least(2))  # k-fold over recordings: every recording is judged, unheard
    min_decision_words: int = setting(150, _non_negative)  # held-out words needed to decide at all
    retrain_cooldown_minutes: float = setting(10.0, _non_negative)
    min_free_disk_gb: float = setting(2.0, _non_negative)  # below it a retrain refuses to start
    # one server's model folders (data/models/<guild>/) at most; at or past it a retrain refuses to start
    max_model_disk_mb: float = setting(10000.0, _positive)
    lora_r: int = setting(32, _positive)
    lora_alpha: int = setting(64, _positive)
    lora_dropout: float = setting(0.05, _non_negative)
    target_modules: list[str] = setting(["q_proj", "v_proj"])
    lora_parts: list[str] = setting(["encoder", "decoder"], _parts)  # which half of Whisper gets adapters
    replay_sentences: int = setting(0, _non_negative)  # general sentences mixed into every training set
    soundalike_pairs: bool = setting(False)  # each term's everyday sound-alike trained in a minimal pair
    soundalike_check: bool = setting(True)  # a new model may not write terms into everyday sound-alikes
    label_timestamps: bool = setting(False)  # train in timestamp mode, the mode voice notes are served in
    learning_rate: float = setting(1e-3, _positive)
    epochs: int = setting(8, _positive)  # at most; early stopping on the dev recordings picks fewer
    patience: int = setting(4, _positive)
    warmup_fraction: float = setting(0.1, _fraction)
    batch_size: int = setting(1, _positive)
    pack_seconds: float = setting(30.0, _non_negative)  # 0: one pair per window
    seed: int = setting(0, _non_negative)
    export_quantization: str = setting("int8", _one_of("int8", "int8_float32", "float16", "float32"))
    merge_scales: list[float] = setting([1.0], _scales)
    candidate_hints: list[str] = setting(["glossary"], _hints)
    # stop each fold's training on dev recordings' loss; off, every fold trains `epochs` epochs and, with one
    # candidate hint and one merge scale, nothing is chosen on the held-out recordings, so all of them decide
    early_stopping: bool = setting(False)
    # the share of training windows given the server's glossary as their prompt (0: never); the tuned model
    # is then served with the glossary too, and uses terms approved after its retrain
    glossary_share: float = setting(0.5, _share)
    # Real recorded speech with references (refs.tsv); empty: shared/data/real-speech beside the project.
    general_speech_dir: str = setting("")
    # A candidate is refused if it adds more than this share of the base's errors on real speech.
    general_speech_margin: float = setting(0.1, _non_negative)
    heartbeat_timeout_seconds: float = setting(120.0, _positive)
    # "auto": a CUDA GPU when torch sees one, else the CPU (trainer/device.py)
    device: str = setting("auto", _one_of("auto", "cpu", "cuda"))


def _port(value: Any) -> str | None:
    return None if 0 <= value <= 65535 else "must be a port number from 0 (off) to 65535"


@dataclass(frozen=True)
class OpsConfig:
    # /healthz and /metrics (Prometheus) of the bot process on this port; 0: no endpoint
    metrics_port: int = setting(0, _port)
    # the same for `python -m trainer worker` (retrain outcomes and job durations); 0: none
    trainer_metrics_port: int = setting(0, _port)
    # the address both listen on: loopback, for a Prometheus or a proxy on the same machine
    metrics_host: str = setting("127.0.0.1")
    # /healthz says the caption queue is stuck when requests wait or run and none has reported progress
    # for this long (a transcription reports progress every few seconds)
    queue_stuck_seconds: float = setting(600.0, _positive)


@dataclass(frozen=True)
class Config:
    storage: StorageConfig = field(default_factory=StorageConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    media: MediaConfig = field(default_factory=MediaConfig)
    correction: CorrectionConfig = field(default_factory=CorrectionConfig)
    discord: DiscordConfig = field(default_factory=DiscordConfig)
    training: TrainingConfig = field(default_factory=TrainingConfig)
    ops: OpsConfig = field(default_factory=OpsConfig)
    source: str = "built-in defaults"

    @property
    def data_dir(self) -> Path:
        return Path(self.storage.data_dir).expanduser()

    @property
    def database(self) -> Path | str:
        """What Store.open takes: the SQLite file, or the PostgreSQL URL as written."""
        db = self.storage.database
        return db if db.startswith(("postgresql://", "postgres://")) else self.database_path

    @property
    def database_path(self) -> Path:
        """The SQLite file (only meaningful when [storage] database is not a PostgreSQL URL)."""
        db = self.storage.database
        return Path(db).expanduser() if db else self.data_dir / "captions.db"

    @property
    def discord_token(self) -> str:
        """The token from the file, else from DISCORD_TOKEN, so it need not be written to disk."""
        return self.discord.token or os.environ.get("DISCORD_TOKEN", "")


SECTIONS = {f.name: f.type for f in fields(Config) if f.name != "source"}


def load_config(path: str | Path | None = None) -> Config:
    """Load `path`, or config.toml if present, else the defaults. Raises ConfigError."""
    if path is None:
        if not DEFAULT_CONFIG_PATH.exists():
            return Config()
        path = DEFAULT_CONFIG_PATH
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist (copy config.example.toml to start)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config file {path} cannot be read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return config_from_dict(raw, source=str(path))


def config_from_dict(raw: dict[str, Any], *, source: str = "settings") -> Config:
    sections: dict[str, Any] = {}
    for name, table in raw.items():
        if name not in SECTIONS:
            raise ConfigError(f"{source}: unknown section [{name}] (known: {', '.join(SECTIONS)})")
        if not isinstance(table, dict):
            raise ConfigError(f"{source}: [{name}] must be a table")
        sections[name] = _build_section(_section_class(name), table, f"{source}: [{name}]")
    return Config(**sections, source=source)


def _section_class(name: str) -> type:
    hints = typing.get_type_hints(Config)
    return hints[name]


def _build_section(cls: type, table: dict[str, Any], where: str) -> Any:
    hints = typing.get_type_hints(cls)
    known = {f.name: f for f in fields(cls)}
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in known:
            raise ConfigError(f"{where} unknown key '{key}' (known: {', '.join(known)})")
        value = _coerce(value, hints[key], f"{where} {key}")
        check = known[key].metadata.get("check")
        problem = check(value) if check else None
        if problem:
            raise ConfigError(f"{where} {key} {problem} (got {redact_password(repr(value))})")
        values[key] = value
    return replace(cls(), **values)


_TYPE_NAMES = {int: "a whole number", float: "a number", str: "a string", bool: "true or false"}


def _coerce(value: Any, expected: Any, where: str) -> Any:
    """Accept exactly the TOML types a person would write for this setting."""
    if expected is bool:
        if isinstance(value, bool):
            return value
        raise ConfigError(f"{where} must be true or false (got {value!r})")
    if expected is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise ConfigError(f"{where} must be a whole number (got {value!r})")
    if expected is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        raise ConfigError(f"{where} must be a number (got {value!r})")
    if expected is str:
        if isinstance(value, str):
            return value
        raise ConfigError(f"{where} must be a string (got {value!r})")
    if isinstance(expected, types.UnionType):  # e.g. int | str: any of them, as written; `check` decides
        allowed = typing.get_args(expected)
        if isinstance(value, allowed) and not isinstance(value, bool):
            return value
        names = " or ".join(_TYPE_NAMES.get(t, t.__name__) for t in allowed)
        raise ConfigError(f"{where} must be {names} (got {value!r})")
    if typing.get_origin(expected) is list or isinstance(expected, types.GenericAlias):
        if typing.get_args(expected) == (float,):
            if isinstance(value, list) and all(
                isinstance(v, int | float) and not isinstance(v, bool) for v in value
            ):
                return [float(v) for v in value]
            raise ConfigError(f"{where} must be a list of numbers (got {value!r})")
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return list(value)
        raise ConfigError(f"{where} must be a list of strings (got {value!r})")
    raise ConfigError(f"{where} has an unsupported type")  # pragma: no cover - a programming error
