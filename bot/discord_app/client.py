"""CaptionBot: the discord.py bot and its startup from the config (its logging: logging_setup.py).

`run(config)` is what `python -m bot run` calls. `start_bot(config, ...)` starts the same bot inside a
running event loop (tests use it against a fake Discord on 127.0.0.1, pointed at by the config's
api_base_url and gateway_url; in production those are Discord's own).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator
from typing import Any

import discord
import discord.gateway
import discord.http
import yarl
from discord import app_commands
from discord.ext import commands

from bot.core.config import Config
from bot.core.errors import UserError
from bot.core.metrics import BotMetrics
from bot.core.ops_server import OpsServer
from bot.discord_app.audio_budget import AudioBudget
from bot.discord_app.caption_job import CaptionJobs
from bot.discord_app.i18n import CatalogTranslator, reply_language, text
from bot.discord_app.logging_setup import TokenRedactor, setup_logging
from bot.discord_app.rate_limit import RequestLimits
from bot.discord_app.replies import NO_MENTIONS, report_interaction_error, send_private
from bot.discord_app.sharding import SHARDING_REQUIRED, IdentifyPacer, shard_count_option
from bot.discord_app.trainer_process import TrainerProcess
from bot.discord_app.work_queue import WorkQueue
from bot.service import CaptionService

log = logging.getLogger("bot.discord")

GUILD_ONLY = app_commands.AppCommandContext(guild=True, dm_channel=False, private_channel=False)
COGS = (
    "captioning",
    "corrections",
    "audit",
    "vocab",
    "spelling",
    "training",
    "model",
    "privacy",
    "settings",
    "help",
    "message_caption",
    "link_buttons",
)


class CaptionTree(app_commands.CommandTree):
    """Commands answer in servers only, and every failure reaches the user as one ephemeral line."""

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        if interaction.guild_id is None:
            await send_private(interaction, text("error.dm", reply_language(interaction)))
            return False
        return True

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError, /
    ) -> None:
        await report_interaction_error(interaction, error)


def guild_only(tree: app_commands.CommandTree) -> None:
    """Mark every top-level command guild-only (the old dm_permission flag; `contexts` comes from GUILD_ONLY).

    One place for the policy, so a command added by any cog is never offered in direct messages, where the
    tree would only refuse it.
    """
    for command in tree.get_commands():
        command.guild_only = True


def configure_endpoints(config: Config) -> None:
    """Point discord.py at the configured REST base and gateway (Discord's own unless set otherwise)."""
    discord.http.Route.BASE = config.discord.api_base_url.rstrip("/")
    if config.discord.gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(config.discord.gateway_url)


def intents() -> discord.Intents:
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.guild_messages = True
    wanted.message_content = True
    return wanted


class CaptionBot(commands.AutoShardedBot):
    """The bot. Options after `config` tune timings for tests; production uses the defaults.

    Always the sharded client: with `[discord] shards = "auto"` (the default) a bot on a few servers runs one
    shard, and the same process grows to as many as Discord asks for, without a change of class or config.
    """

    def __init__(
        self,
        config: Config,
        *,
        guild_ready_timeout: float | None = None,
        progress_interval: float = 1.5,
        job_poll_seconds: float = 5.0,
        spawn_trainer: bool = True,
        trainer_idle_exit: float = 60.0,
    ) -> None:
        options: dict[str, Any] = {}
        if guild_ready_timeout is not None:
            options["guild_ready_timeout"] = guild_ready_timeout
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents(),
            help_command=None,
            tree_cls=CaptionTree,
            allowed_contexts=GUILD_ONLY,  # direct messages are refused anyway; Discord hides them there
            allowed_mentions=NO_MENTIONS,
            shard_count=shard_count_option(config.discord.shards),
            **options,
        )
        self.config = config
        self.progress_interval = progress_interval
        self.job_poll_seconds = job_poll_seconds
        self.spawn_trainer = spawn_trainer  # False when the trainer runs as its own service
        self.trainer = TrainerProcess(config, idle_exit=trainer_idle_exit)
        self.redactor = TokenRedactor([config.discord_token])
        self.identify_pacer = IdentifyPacer()
        self._service: CaptionService | None = None
        self._jobs: CaptionJobs | None = None
        self.metrics = BotMetrics()
        self.ops: OpsServer | None = None  # /healthz and /metrics, when [ops] metrics_port is set

    @property
    def service(self) -> CaptionService:
        if self._service is None:
            raise RuntimeError("the caption service is not open yet (setup_hook has not run)")
        return self._service

    @property
    def jobs(self) -> CaptionJobs:
        if self._jobs is None:
            raise RuntimeError("the caption jobs are not ready yet (setup_hook has not run)")
        return self._jobs

    async def login(self, token: str) -> None:
        self.redactor.secrets = sorted({*self.redactor.secrets, token}, key=len, reverse=True)
        self.redactor.install()
        await super().login(token)

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Wait only as long as Discord's IDENTIFY limit requires (discord.py waits 5 s per shard)."""
        await self.identify_pacer.wait(shard_id or 0)

    async def _read_gateway_limits(self) -> None:
        """Learn Discord's IDENTIFY concurrency and shard recommendation; log what this start will use."""
        try:
            recommended, _, limits = await self.http.get_bot_gateway()
        except discord.GatewayNotFound:  # a fixed shard count can start without it, paced as discord.py does
            log.warning("Discord did not answer GET /gateway/bot; identifying one shard per 5 s")
            return
        self.identify_pacer = IdentifyPacer(int(limits.get("max_concurrency", 1)))
        log.info(
            "gateway: %s shards (Discord recommends %d), %d identifies per 5 s, %d session starts left",
            self.shard_count or recommended, recommended, self.identify_pacer.max_concurrency,
            limits.get("remaining", -1),
        )  # fmt: skip

    async def setup_hook(self) -> None:
        await self._read_gateway_limits()
        settings = self.config.discord
        self._service = await CaptionService.open(self.config, workers=settings.max_concurrent_transcriptions)
        engine = self._service.engine
        await asyncio.to_thread(engine.model, engine.base_choice().path)  # load once now, fail early
        self._jobs = CaptionJobs(
            self._service,
            WorkQueue(
                settings.max_concurrent_transcriptions,
                settings.queue_size,
                per_user=settings.user_requests_in_flight,
                per_guild=settings.guild_requests_in_flight,
            ),
            RequestLimits(settings.user_requests_per_minute, settings.guild_requests_per_minute),
            progress_interval=self.progress_interval,
            scratch_dir=self.config.data_dir / "tmp",
            max_media_mb=self.config.media.max_size_mb,
            budget=AudioBudget(
                settings.guild_audio_minutes_per_hour,
                admission_seconds=settings.audio_seconds_charged_at_admission,
            ),
            metrics=self.metrics,
        )
        if self.config.ops.metrics_port:
            self.ops = OpsServer(
                self.metrics.registry,
                asyncio.get_running_loop(),
                host=self.config.ops.metrics_host,
                port=self.config.ops.metrics_port,
                checks=self.health_checks,
                refresh=self.refresh_metrics,
            )
            self.ops.start()
        for name in COGS:
            await self.load_extension(f"bot.discord_app.cogs.{name}")
        guild_only(self.tree)
        await self.tree.set_translator(CatalogTranslator())  # name_ and description_localizations
        synced = await self.tree.sync()
        log.info("synced %d application commands", len(synced))

    def gateway_connected(self) -> bool:
        """Ready, not closed, and every shard's connection open."""
        if not self.is_ready() or self.is_closed():
            return False
        return all(not shard.is_closed() for shard in self.shards.values())

    async def health_checks(self) -> dict[str, bool]:
        """What /healthz reports (bot/core/ops_server.py): each check and whether it passed."""
        database = self._service is not None and await self._service.database_reachable()
        stuck = self._jobs is not None and self._jobs.stuck(self.config.ops.queue_stuck_seconds)
        return {"gateway": self.gateway_connected(), "database": database, "queue": not stuck}

    async def refresh_metrics(self) -> None:
        """The gauges a scrape reads that are states, not events: servers per model, gateway, database."""
        self.metrics.gateway_up.set(1 if self.gateway_connected() else 0)
        if self._service is None:
            return
        reachable = await self._service.database_reachable()
        self.metrics.database_up.set(1 if reachable else 0)
        if reachable:
            tuned = await self._service.guilds_with_tuned_model()
            here = [guild.id for guild in self.guilds]
            served_tuned = sum(1 for guild_id in here if guild_id in tuned)
            self.metrics.servers.labels("tuned").set(served_tuned)
            self.metrics.servers.labels("base").set(len(here) - served_tuned)

    async def on_ready(self) -> None:
        log.info("connected as %s to %d servers on %d shards", self.user, len(self.guilds), self.shard_count)

    async def on_shard_ready(self, shard_id: int) -> None:
        servers = sum(1 for guild in self.guilds if guild.shard_id == shard_id)
        log.info("shard %d of %d ready with %d servers", shard_id, self.shard_count, servers)

    async def on_message(self, message: discord.Message, /) -> None:
        """No prefix commands: the cogs' listeners handle messages."""

    async def close(self) -> None:
        try:
            await super().close()
        finally:
            if self.ops is not None:
                self.ops.stop()
                self.ops = None
            await self.trainer.stop()
            if self._service is not None:
                await self._service.close()
                self._service = None
            self.redactor.uninstall()


def run(config: Config) -> None:
    """Serve Discord until SIGINT or SIGTERM (the entry point of `python -m bot run`)."""
    configure_endpoints(config)
    bot = CaptionBot(config)
    setup_logging(config, bot.redactor)
    try:
        asyncio.run(_serve(bot, config.discord_token))
    except KeyboardInterrupt:
        pass
    except discord.LoginFailure:
        raise UserError(
            "Discord refused the bot token; check [discord] token or DISCORD_TOKEN (Developer Portal > Bot)"
        ) from None
    except discord.ConnectionClosed as exc:
        if exc.code != SHARDING_REQUIRED:
            raise
        raise UserError(
            f"Discord requires more gateway shards than [discord] shards = {config.discord.shards}; "
            'set it to "auto" (or a larger number)'
        ) from None
    except discord.GatewayNotFound:
        raise UserError(
            'Discord did not answer GET /gateway/bot, which [discord] shards = "auto" needs; try again, or set '
            "shards to a number"
        ) from None
    except discord.PrivilegedIntentsRequired:
        raise UserError(
            "the bot needs the Message Content intent: enable it in the Developer Portal (Bot > Privileged "
            "Gateway Intents) and start again"
        ) from None


async def _serve(bot: CaptionBot, token: str) -> None:
    """Run until a stop signal, then close explicitly: the trainer child stops, the database closes.

    Closing is not left to task cancellation: a cancellation that lands while discord.py connects can be
    swallowed by asyncio.wait_for on Python 3.11, and the process would then hang on Ctrl+C.
    """
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    async with bot:
        serving = asyncio.create_task(bot.start(token), name="caption-bot")
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait({serving, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if serving.done():
            serving.result()  # why it ended (a bad token, a network failure)
            return
        log.info("stopping")
        await bot.close()
        try:
            await asyncio.wait_for(serving, 10)
        except (TimeoutError, asyncio.CancelledError):
            serving.cancel()


@contextlib.asynccontextmanager
async def start_bot(
    config: Config, *, ready_timeout: float = 30.0, **options: Any
) -> AsyncIterator[CaptionBot]:
    """Start the bot in the running loop, wait until it is ready, and close it at the end of the block."""
    saved = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    configure_endpoints(config)
    bot = CaptionBot(config, **options)
    runner: asyncio.Task[None] | None = None
    try:
        await bot.login(config.discord_token)
        runner = asyncio.create_task(bot.connect(reconnect=True), name="caption-bot-gateway")
        ready = asyncio.create_task(bot.wait_until_ready())
        done, _ = await asyncio.wait(
            {runner, ready}, timeout=ready_timeout, return_when=asyncio.FIRST_COMPLETED
        )
        if ready not in done:
            ready.cancel()
            if runner in done:
                runner.result()  # raises why the connection ended
            raise TimeoutError(f"the bot was not ready within {ready_timeout} s")
        yield bot
    finally:
        await bot.close()
        if runner is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(runner, 10)
        discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = saved
