"""The database the bot and the trainer share: `Store` and the rows it returns.

The package splits what a second backend would replace (the `sqlite` module, with all the queries, and the
SQLite schema in `migrations`) from what it would keep (the rows and statuses in `rows`).
"""

from bot.store.migrations import MIGRATIONS, SCHEMA_VERSION
from bot.store.rows import (
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
from bot.store.sqlite import BUSY_TIMEOUT_MS, Store

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
