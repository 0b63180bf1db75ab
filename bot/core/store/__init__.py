"""The database the bot and the trainer share: `Store` and the rows it returns.

The package splits the queries, each written once, from the engines they run on (`sqlite_engine`, the
embedded default; `postgres_engine`, for several machines; the interface in `engine`), the schema both share
(`migrations`) and the rows and statuses handed out (`rows`). The queries are one module per area
(`media_captions`, `corrections`, `vocabulary`, `settings`, `jobs`, `models`) on the transactions of `base`;
`store.Store` is all of them in one object.
"""

from bot.core.store.migrations import MIGRATIONS, SCHEMA_VERSION
from bot.core.store.rows import (
    CaptionRow,
    ChannelOverride,
    ChannelSetting,
    CorrectionSummary,
    ForgetReport,
    JobRow,
    JobStatus,
    MediaRow,
    ModelStatus,
    ModelVersionRow,
    PairRow,
    PendingCaptionRow,
    ServerSettings,
    SpellingRule,
)
from bot.core.store.sqlite_engine import BUSY_TIMEOUT_MS
from bot.core.store.store import Store

__all__ = [
    "BUSY_TIMEOUT_MS",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "CaptionRow",
    "ChannelOverride",
    "ChannelSetting",
    "CorrectionSummary",
    "ForgetReport",
    "JobRow",
    "JobStatus",
    "MediaRow",
    "ModelStatus",
    "ModelVersionRow",
    "PairRow",
    "PendingCaptionRow",
    "ServerSettings",
    "SpellingRule",
    "Store",
]
