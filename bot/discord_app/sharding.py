"""Gateway sharding: how many shards to run, and pacing their IDENTIFYs the way Discord allows.

All shards run in this one process (discord.py's AutoShardedClient); each carries the servers
`shard_of(guild_id, count)` assigns to it. Discord lets a bot IDENTIFY `max_concurrency` shards per 5 s, one
per bucket `shard_id % max_concurrency`. discord.py's default hook waits 5 s before every shard after the
first whatever the bot's max_concurrency, so a bot with 16 shards and max_concurrency 16 would take 75 s to
come up instead of none; `IdentifyPacer` waits only where Discord requires it.
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict

IDENTIFY_WINDOW_SECONDS = 5.0  # Discord: max_concurrency IDENTIFYs per 5 seconds
SHARDING_REQUIRED = 4011  # the gateway's close code when a shard would carry too many servers


def shard_count_option(setting: int | str) -> int | None:
    """discord.py's `shard_count`: None lets it ask Discord (GET /gateway/bot) for the recommended count."""
    return None if setting == "auto" else int(setting)


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard that carries a server's events: Discord's own formula."""
    return (guild_id >> 22) % shard_count


class IdentifyPacer:
    """Spaces IDENTIFYs of the same bucket by Discord's 5 s window; different buckets go at once."""

    def __init__(self, max_concurrency: int = 1, window: float = IDENTIFY_WINDOW_SECONDS) -> None:
        self.max_concurrency = max(1, max_concurrency)
        self.window = window
        self._last: dict[int, float] = {}
        self._locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)

    def bucket(self, shard_id: int) -> int:
        return shard_id % self.max_concurrency

    async def wait(self, shard_id: int) -> None:
        """Return when this shard may IDENTIFY, and count it as identifying now."""
        key = self.bucket(shard_id)
        async with self._locks[key]:
            last = self._last.get(key)
            if last is not None:
                await asyncio.sleep(max(0.0, last + self.window - time.monotonic()))
            self._last[key] = time.monotonic()
