"""Captioning: media in (a link or a file), captions out, and the rows that follow a caption request.

It knows nothing of Discord or of the terminal. Callers pass a guild id (the CLI uses its own local guild)
and get plain results back, or a UserError whose message they show as it is.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from bot.core.captions.cues import Cue, Word, cues_from_segments
from bot.core.captions.formats import format_captions, to_text
from bot.core.captions.spelling import respell
from bot.core.errors import UserError
from bot.core.media import audio, downloads
from bot.core.store import PendingCaptionRow
from bot.core.store.paths import located, to_stored
from bot.core.transcription.engine import ModelChoice, model_choice_for
from bot.core.transcription.languages import english_only_text, needs_multilingual
from bot.core.transcription.serving import Hint, ServingPlan, default_plan
from bot.service.base import ServiceBase

ProgressCallback = Callable[[str, float | None], None]


@dataclass(frozen=True)
class CaptionResult:
    caption_id: int
    media_id: int
    model_version: str
    cues: list[Cue]
    title: str
    duration: float
    language: str
    hint: str  # the vocabulary hint used: "none", "glossary" or "hotwords"
    respelled: int = 0  # words the server's spelling rules replaced (bot/core/captions/spelling.py)
    teaches: bool = False  # corrections of it can become training data (the server trains; the poster allows)
    transcribe_seconds: float = 0.0  # wall time of the transcription alone (the metrics' real-time factor)

    @property
    def text(self) -> str:
        return to_text(self.cues)


@dataclass(frozen=True)
class CaptionFile:
    """A stored caption as a file to attach: its name and its bytes."""

    name: str
    data: bytes


def cue_record(cue: Cue) -> dict[str, Any]:
    """How a cue is kept in the database: its times, its text and its word timings."""
    return {
        "start": cue.start,
        "end": cue.end,
        "text": cue.text,
        "words": [[w.start, w.end, w.text] for w in cue.words],
    }


def cue_from_record(record: dict[str, Any]) -> Cue:
    words = [Word(float(s), float(e), str(t)) for s, e, t in record.get("words", [])]
    return Cue(float(record["start"]), float(record["end"]), str(record["text"]), words)


class Captioning(ServiceBase):
    """Caption media with the guild's model and plan; remember each request while its user waits."""

    # --- captioning --------------------------------------------------------------------------------------

    async def serving_plan(self, guild_id: int) -> ServingPlan:
        stored = await self.store.serving_plan(guild_id)
        return ServingPlan.from_dict(stored) if stored else default_plan(cast(Hint, self.config.model.hint))

    async def model_for(self, guild_id: int, duration: float) -> ModelChoice:
        """What the guild's plan serves media of this length with: a model and a vocabulary hint."""
        plan = await self.serving_plan(guild_id)
        route = plan.route_for(duration, self.config.model.short_media_seconds)
        active = await self.store.active_model(guild_id)
        if active is None or active.withdrawn:  # trained on a forgotten member's data: the base serves
            return model_choice_for(route, None, None, self.engine)
        return model_choice_for(
            route, str(located(self.config.data_dir, active.path)), active.version, self.engine
        )

    async def caption(
        self,
        guild_id: int,
        source: str | Path,
        *,
        requester_id: int | None = None,
        uploader_id: int | None = None,
        channel_id: int | None = None,
        language: str | None = None,
        task: str = "transcribe",
        title: str | None = None,
        origin: str | None = None,
        progress: ProgressCallback | None = None,
    ) -> CaptionResult:
        """Fetch, decode, keep and transcribe one piece of media; store and return its captions.

        `origin` records where the media came from when `source` is a local copy (a Discord attachment).
        `language` None means the server's setting (else the configured one); `task` "translate" gives
        English text (Whisper's own task). Both are checked against the model before anything is stored.
        """
        language = await self.resolve_language(guild_id, language, task)
        report = threadsafe(progress)
        report("queued", None)
        audio_path, media_id, duration, shown_title = await self._ingest(
            guild_id, str(source), uploader_id, title, origin, report
        )
        samples = await asyncio.to_thread(audio.load_audio, audio_path)
        choice = await self.model_for(guild_id, len(samples) / audio.SAMPLE_RATE)
        terms = await self.store.vocabulary(guild_id)
        report("transcribing", 0.0)
        began = time.monotonic()
        transcript = await self.engine.transcribe_async(
            samples,
            choice,
            terms=terms,
            language=language,
            task=task,
            progress=lambda f: report("transcribing", f),
        )
        segments = [(s.start, s.end, s.text, s.words) for s in transcript.segments]
        respelled, replacements = await self.respell(guild_id, segments)
        cues = cues_from_segments(respelled)
        caption_id = await self.store.add_caption(
            guild_id,
            media_id=media_id,
            model_version=transcript.model_version,
            language=transcript.language,
            cues=[cue_record(c) for c in cues],
            text=to_text(cues),
            requester_id=requester_id,
            channel_id=channel_id,
        )
        report("done", 1.0)
        teaches = await self.store.may_train_on(guild_id, media_id, None)
        return CaptionResult(
            caption_id,
            media_id,
            transcript.model_version,
            cues,
            shown_title,
            duration,
            transcript.language,
            transcript.hint,
            replacements,
            teaches,
            time.monotonic() - began,
        )

    async def resolve_language(self, guild_id: int, language: str | None, task: str = "transcribe") -> str:
        """The language a caption is made in (option, else the server's, else the configured one).

        A UserError naming the settings that enable it when the model is English-only and the option or
        the server asks for detection, another language or translation. The configured language is the
        admin's own choice and is not refused (faster-whisper then transcribes English).
        """
        chosen = language or await self.store.server_language(guild_id)
        asked = chosen if chosen is not None else "en"  # the configured language is not the user's ask
        if needs_multilingual(asked, task) and not await self.multilingual(guild_id):
            raise UserError(english_only_text(self.config.model, asked, task))
        return chosen or self.config.model.language

    async def multilingual(self, guild_id: int) -> bool:
        """Whether the guild's model knows other languages (loads it once; a fine-tune keeps its base's)."""
        choice = await self.model_for(guild_id, 0.0)  # any route: a fine-tune keeps its base's languages
        model = await asyncio.to_thread(self.engine.model, choice.path)
        return bool(model.model.is_multilingual)

    async def respell(
        self, guild_id: int, segments: Sequence[tuple[float, float, str, Sequence[Word]]]
    ) -> tuple[list[tuple[float, float, str, Sequence[Word]]], int]:
        """The guild's spelling rules applied to the model's words (never to a user's text), and the count."""
        return respell(segments, await self.moderation.spelling_rules(guild_id))

    async def _ingest(
        self,
        guild_id: int,
        source: str,
        uploader_id: int | None,
        title: str | None,
        origin: str | None,
        report: ProgressCallback,
    ) -> tuple[Path, int, float, str]:
        """Fetch and decode into the guild's audio folder, reusing audio the guild already has."""
        audio_dir = self.config.data_dir / "audio" / str(guild_id)
        audio_dir.mkdir(parents=True, exist_ok=True)
        with audio.temporary_dir(self.config.data_dir) as scratch:
            work = Path(scratch)
            if downloads.is_link(source):
                report("downloading", None)
            fetched = await asyncio.to_thread(downloads.fetch, source, work, self.config.media, report)
            report("decoding", None)
            wav = work / "audio.wav"
            duration = await asyncio.to_thread(audio.decode_to_wav, fetched.path, wav, self.config.media)
            digest = await asyncio.to_thread(audio.sha256_file, wav)
            final = audio_dir / f"{digest}.wav"
            if final.exists():
                final.touch()  # reused: young again, so orphan cleanup leaves it until its row is written
            else:
                wav.replace(final)
        media_id = await self.store.add_media(
            guild_id,
            sha256=digest,
            source=origin or fetched.source,
            title=title or fetched.title,
            duration=duration,
            audio_path=to_stored(self.config.data_dir, final),
            uploader_id=uploader_id,
        )
        return final, media_id, duration, title or fetched.title

    # --- caption requests and their messages -------------------------------------------------------------

    async def add_pending_caption(
        self,
        guild_id: int,
        *,
        channel_id: int | None,
        user_id: int,
        message_id: int | None,
        kind: str,
        label: str,
    ) -> int:
        """A request whose progress message exists, kept until its user has the answer (restart notices)."""
        return await self.store.add_pending_caption(
            guild_id,
            channel_id=channel_id,
            user_id=user_id,
            message_id=message_id,
            kind=kind,
            label=label,
            instance=self.config.discord.instance_name(),
        )

    async def remove_pending_caption(self, guild_id: int, pending_id: int) -> bool:
        """The user has the result or the error; False when the request was already gone."""
        return await self.store.remove_pending_caption(guild_id, pending_id)

    async def leftover_pending_captions(self) -> list[PendingCaptionRow]:
        """Every guild's requests this bot's previous run left unanswered (read once at start-up); those of
        another bot process on the same database ([discord] instance) are its own business."""
        return await self.store.leftover_pending_captions(self.config.discord.instance_name())

    async def set_caption_message(self, guild_id: int, caption_id: int, message_id: int) -> None:
        """The message that shows the caption, so a reply to it finds the caption to correct."""
        await self.store.set_caption_message(guild_id, caption_id, message_id)

    async def caption_file(self, guild_id: int, caption_id: int, fmt: str = "vtt") -> CaptionFile:
        """A caption of this guild as a file, made from its stored cues when asked for: a 'text' style reply
        carries no file, so its "Get .vtt" button makes one then. NotFoundError for a caption of another
        server or one since deleted (/forget, retention)."""
        caption = await self.store.get_caption(guild_id, caption_id)
        cues = [cue_from_record(record) for record in caption.cues]
        return CaptionFile(f"captions-{caption_id}.{fmt}", format_captions(cues, fmt).encode("utf-8"))


def threadsafe(progress: ProgressCallback | None) -> ProgressCallback:
    """Progress reported from worker threads reaches the caller on its event loop thread."""
    if progress is None:
        return lambda stage, fraction: None
    loop = asyncio.get_running_loop()

    def report(stage: str, fraction: float | None) -> None:
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            progress(stage, fraction)
        else:
            loop.call_soon_threadsafe(progress, stage, fraction)

    return report
