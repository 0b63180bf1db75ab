"""The rows the store hands out, and how a database row becomes one.

Rows are built by column name, never by position, so a SELECT may list its columns in any order or add some
without shifting values into the wrong fields. A field whose column has another name or needs decoding (JSON)
says so in its metadata, so each row class is the one place that knows its mapping. Statuses are StrEnums:
they compare equal to, and are stored as, the plain strings the schema's CHECK constraints name.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, dataclass_transform

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

R = TypeVar("R", bound="DataclassInstance")
C = TypeVar("C")


class JobStatus(StrEnum):
    """A retrain job's life: queued, claimed by a worker, then ended one way or the other."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class ModelStatus(StrEnum):
    """A trained version: served now, never served (or rolled back), or replaced by a newer one."""

    ACTIVE = "active"
    REJECTED = "rejected"
    RETIRED = "retired"


class ChannelSetting(StrEnum):
    """A switch a moderator sets for the server and, overriding it, per channel (the column's name)."""

    AUTOCAPTION = "autocaption"
    LINK_BUTTONS = "link_buttons"
    ON_REQUEST = "on_request"  # the Caption message command and Caption buttons; on unless turned off


# What a switch is in a server that never set it: autocaption and link buttons are opt-in, captions on
# request (someone asks for them on a message) are on.
SWITCH_DEFAULTS = {
    ChannelSetting.AUTOCAPTION: False,
    ChannelSetting.LINK_BUTTONS: False,
    ChannelSetting.ON_REQUEST: True,
}


@dataclass(frozen=True)
class ChannelOverride:
    """One channel's own values; None means the channel follows the server's setting."""

    channel_id: int
    autocaption: bool | None
    link_buttons: bool | None
    on_request: bool | None = None


@dataclass(frozen=True)
class ServerSettings:
    """The server's defaults (both off until a moderator turns them on) and every channel override."""

    autocaption: bool
    link_buttons: bool
    channels: tuple[ChannelOverride, ...]
    language: str | None = None  # None: the configured [model] language
    reply_style: str = "file"  # 'file' or 'text' (bot/core/store/settings.py)
    on_request: bool = True


class ColumnsByName(Protocol):
    """What `from_row` needs of a database row: its values by column name (sqlite3.Row has that)."""

    def __getitem__(self, key: str, /) -> Any: ...


def column(name: str | None = None, convert: Callable[[Any], Any] | None = None) -> Any:
    """A row field read from another column name and/or through a converter (which gets NULL as None too)."""
    return field(metadata={"column": name, "convert": convert})


@dataclass_transform(frozen_default=True, field_specifiers=(field, column))
def row(cls: type[C]) -> type[C]:
    """A frozen dataclass; declared as a transform so type checkers know a `column(...)` has no default."""
    return dataclass(frozen=True)(cls)


def from_row(cls: type[R], row: ColumnsByName) -> R:
    """Build `cls` from a row that has (at least) a column for each field, whatever their order."""
    values: dict[str, Any] = {}
    for f in fields(cls):
        value = row[f.metadata.get("column") or f.name]
        convert = f.metadata.get("convert")
        values[f.name] = convert(value) if convert else value
    return cls(**values)


def _json_or_none(text: str | None) -> Any:
    return json.loads(text) if text else None


@row
class MediaRow:
    id: int
    guild_id: int
    sha256: str
    source: str
    title: str
    duration: float
    audio_path: str | None
    uploader_id: int | None


@row
class CaptionRow:
    id: int
    guild_id: int
    media_id: int
    model_version: str
    language: str
    cues: list[dict[str, Any]] = column("cues_json", json.loads)
    text: str
    requester_id: int | None
    channel_id: int | None
    message_id: int | None


@row
class PairRow:
    id: int
    guild_id: int
    media_id: int
    start: float
    end: float
    text: str
    audio_path: str | None
    correction_id: int


@row
class JobRow:
    id: int
    guild_id: int
    kind: str
    status: JobStatus = column(convert=JobStatus)
    requested_by: int | None
    channel_id: int | None
    progress: float
    stage: str
    message: str
    result: dict[str, Any] | None = column("result_json", _json_or_none)
    worker_pid: int | None
    heartbeat_at: float | None
    created_at: float
    finished_at: float | None
    started_at: float | None = None
    message_id: int | None = None  # the /retrain message its progress is shown in
    worker_host: str | None = None  # the machine worker_pid runs on (None: this one, before hosts were kept)


@row
class ModelVersionRow:
    id: int
    guild_id: int
    version: int
    path: str
    status: ModelStatus = column(convert=ModelStatus)
    metrics: dict[str, Any] = column("metrics_json", json.loads)
    reason: str
    created_at: float
    promoted_at: float | None
    # trained on pairs of a member who used /forget: never served again, /rollback passes over it
    withdrawn: bool = column(convert=bool)


@row
class PendingCaptionRow:
    """A caption request that was accepted and has not been answered yet (result or error)."""

    id: int
    guild_id: int
    channel_id: int | None
    user_id: int
    message_id: int | None  # the message showing its progress (the bot's reply, or the deferred response)
    kind: str  # 'link', 'file' or 'voice'
    label: str  # the link or the file name ('' for a voice message)
    created_at: float


@dataclass(frozen=True)
class ForgetReport:
    """What /forget removed and what stays; the message the member reads is built from exactly these."""

    corrections: int  # the member's corrections (their training pairs went with them)
    captions: int  # captions the member asked for, with any corrections of them
    media: int  # recordings only the member had posted: rows deleted, audio files to remove
    shared_media: int  # recordings others had posted too: the member's link to them removed, the audio kept
    terms: int  # vocabulary terms the member's corrections proposed
    audio_paths: list[str]  # the files the caller must now delete
    models: list[tuple[int, int]]  # (version, pairs of the member's data it was trained on): files stay
    unrecorded_models: list[
        int
    ]  # versions whose training pairs were never recorded (older trainer): may hold it


@row
class CorrectionSummary:
    """One line of /corrections list: who corrected which caption, when, and how many pairs it made."""

    id: int
    caption_id: int
    user_id: int | None
    kind: str
    created_at: float
    pairs: int
    text: str


@row
class SpellingRule:
    """Words the model keeps mishearing (`heard`, normalised) and the approved term corrections put there."""

    heard: str
    term: str
    captions: int  # distinct captions whose corrections made this replacement
