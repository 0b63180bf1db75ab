"""The captioning core the CLI and the Discord layer share: caption, correct, vocabulary.

It knows nothing of Discord or of the terminal. Callers pass a guild id (the CLI uses its own local guild)
and get plain results back, or a UserError whose message they show as it is.

What moderators decide (vocabulary review, the corrections audit, spelling rules) is in bot/service/moderation.py,
reached as `service.moderation`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from bot.core.captions.alignment import Chunk, align_correction, chunk_cues
from bot.core.captions.cues import Cue, Word, cues_from_segments
from bot.core.captions.formats import CaptionFormatError, parse_captions, to_text
from bot.core.captions.spelling import everyday_words, learned_replacements, respell
from bot.core.config import Config
from bot.core.errors import CorrectionError, MediaError, UserError
from bot.core.media import audio, downloads
from bot.core.store import ForgetReport, Store
from bot.core.store.paths import located, to_stored
from bot.core.transcription.engine import Engine, ModelChoice, base_model_path, model_choice_for
from bot.core.transcription.languages import english_only_text, needs_multilingual
from bot.core.transcription.serving import Hint, ServingPlan, default_plan
from bot.service.moderation import Moderation, checked_terms, proposed_terms

MAX_SPELLINGS = 20  # replacements one correction may teach: a correction is untrusted input

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

    @property
    def text(self) -> str:
        return to_text(self.cues)


@dataclass(frozen=True)
class CorrectionResult:
    correction_id: int
    pairs: int
    total_pairs: int
    proposed_terms: list[str]
    notes: list[str] = field(default_factory=list)  # e.g. the vocabulary is full


@dataclass(frozen=True)
class _PreparedCorrection:
    """What the worker thread hands back: everything to store, nothing touched yet."""

    cue_records: list[dict[str, Any]]
    chunks: list[Chunk]
    text: str
    candidates: list[str]
    spellings: list[tuple[str, str]]  # (heard words, term) the correction replaced


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


class CaptionService:
    def __init__(self, config: Config, store: Store, engine: Engine) -> None:
        self.config = config
        self.store = store
        self.engine = engine
        self.moderation = Moderation(config, store)

    @classmethod
    async def open(cls, config: Config, *, workers: int = 1) -> CaptionService:
        config.data_dir.mkdir(parents=True, exist_ok=True)
        store = await Store.open(config.database)
        return cls(config, store, Engine(config.model, workers=workers))

    async def close(self) -> None:
        self.engine.close()
        await self.store.close()

    # --- captioning --------------------------------------------------------------------------------------

    async def serving_plan(self, guild_id: int) -> ServingPlan:
        stored = await self.store.serving_plan(guild_id)
        return ServingPlan.from_dict(stored) if stored else default_plan(cast(Hint, self.config.model.hint))

    async def model_for(self, guild_id: int, duration: float) -> ModelChoice:
        """What the guild's plan serves media of this length with: a model and a vocabulary hint."""
        plan = await self.serving_plan(guild_id)
        route = plan.route_for(duration, self.config.model.short_media_seconds)
        active = await self.store.active_model(guild_id)
        if active is None:
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
        report = _threadsafe(progress)
        report("queued", None)
        audio_path, media_id, duration, shown_title = await self._ingest(
            guild_id, str(source), uploader_id, title, origin, report
        )
        samples = await asyncio.to_thread(audio.load_audio, audio_path)
        choice = await self.model_for(guild_id, len(samples) / audio.SAMPLE_RATE)
        terms = await self.store.vocabulary(guild_id)
        report("transcribing", 0.0)
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

    # --- corrections -------------------------------------------------------------------------------------

    async def correct(
        self,
        guild_id: int,
        caption_id: int,
        *,
        user_id: int | None = None,
        text: str | None = None,
        captions_file: str | None = None,
        kind: str | None = None,
    ) -> CorrectionResult:
        """Store a correction (full text or an edited .vtt/.srt) and the training pairs made from it.

        Parsing, alignment and chunking run in a worker thread: a large edited file must never stall the
        event loop (Discord heartbeats, every other command). The text is bounded by the audio's length first.
        """
        if captions_file is None and text is None:
            raise CorrectionError("give the corrected text or an edited captions file")
        caption = await self.store.get_caption(guild_id, caption_id)
        media = await self.store.get_media(guild_id, caption.media_id)
        duration = media.duration if media else 0.0
        known = await self.store.vocabulary(guild_id) + await self.store.proposals(guild_id)
        prepared = await asyncio.to_thread(
            self._prepare_correction, caption.cues, duration, text, captions_file, known
        )
        correction_id = await self.store.add_correction(
            guild_id,
            caption_id=caption_id,
            user_id=user_id,
            kind=kind or ("file" if captions_file is not None else "text"),
            text=prepared.text,
            cues=prepared.cue_records,
            pairs=[(c.start, c.end, c.text) for c in prepared.chunks],
            spellings=prepared.spellings,
        )
        proposed, notes = await self._propose(guild_id, prepared.candidates, user_id)
        total = await self.store.count_pairs(guild_id)
        return CorrectionResult(correction_id, len(prepared.chunks), total, proposed, notes)

    def _prepare_correction(
        self,
        records: list[dict[str, Any]],
        duration: float,
        text: str | None,
        captions_file: str | None,
        known_terms: Sequence[str] = (),
    ) -> _PreparedCorrection:
        """The CPU-bound part of a correction (runs in a worker thread): cues, chunks, vocabulary candidates."""
        original = [cue_from_record(r) for r in records]
        if captions_file is not None:
            cues = self._cues_from_file(duration, captions_file)
            self._check_length(sum(len(c.text) for c in cues), duration)
        else:
            assert text is not None
            checked = self._checked_text(text)
            self._check_length(len(checked), duration)
            cues = align_correction(original, checked)
        chunks = chunk_cues(cues, self.config.correction.max_chunk_seconds)
        if not chunks:
            raise CorrectionError(
                "the correction has no text that lines up with the audio; nothing was saved"
            )
        corrected_text = " ".join(c.text for c in chunks)
        candidates: list[str] = []
        if self.config.correction.propose_vocabulary:
            candidates = proposed_terms(
                to_text(original), corrected_text, limit=self.config.correction.max_proposed_terms
            )
        terms = {t.casefold() for t in [*known_terms, *candidates]}
        everyday = everyday_words(base_model_path(self.config.model))
        spellings = learned_replacements(to_text(original).split(), corrected_text.split(), terms, everyday)
        return _PreparedCorrection(
            [cue_record(c) for c in cues], chunks, corrected_text, candidates, spellings[:MAX_SPELLINGS]
        )

    def _check_length(self, chars: int, duration: float) -> None:
        """Speech runs at about 15 characters a second; far more text than that is not a correction."""
        settings = self.config.correction
        limit = int(settings.max_chars_per_second * duration) + settings.max_chars_slack
        if chars > limit:
            raise CorrectionError(
                f"the correction has {chars} characters of text for {duration:.1f} s of audio; the limit is "
                f"{limit} ({settings.max_chars_per_second:g} a second plus {settings.max_chars_slack}); "
                "nothing was saved"
            )

    async def _propose(
        self, guild_id: int, candidates: list[str], user_id: int | None
    ) -> tuple[list[str], list[str]]:
        """Propose a correction's candidate terms for review, up to the vocabulary's size limit; say when it is
        full. A term a moderator rejected is not proposed again."""
        if not candidates:
            return [], []
        limit = self.config.correction.max_vocabulary
        added = await self.store.add_terms(
            guild_id, candidates, added_by=user_id, origin="proposed", limit=limit, proposal=True
        )
        if len(added) < len(candidates) and await self.store.count_terms(guild_id) >= limit:
            return added, [f"The vocabulary is full ({limit} terms), so no more words were added to it."]
        return added, []

    def _checked_text(self, text: str) -> str:
        text = text.strip()
        if not text:
            raise CorrectionError("the correction is empty; send the corrected words of the caption")
        limit = self.config.correction.max_chars
        if len(text) > limit:
            raise CorrectionError(
                f"the correction has {len(text)} characters; the limit is {limit} (send an edited .vtt instead)"
            )
        return text

    def _cues_from_file(self, duration: float, content: str) -> list[Cue]:
        limit = 50 * self.config.correction.max_chars
        if len(content) > limit:
            raise CorrectionError(
                f"the captions file has {len(content)} characters; the limit is {limit}; nothing was saved"
            )
        try:
            cues = parse_captions(content)
        except CaptionFormatError as exc:
            raise CorrectionError(f"the captions file is not valid: {exc}") from None
        late = [c for c in cues if c.start > duration + 1.0]
        if late:
            raise CorrectionError(
                f"the captions file has a cue at {late[0].start:.1f} s but the audio is {duration:.1f} s long"
            )
        return cues

    # --- privacy -----------------------------------------------------------------------------------------

    async def forget_user(self, guild_id: int, user_id: int) -> tuple[ForgetReport, int]:
        """Delete everything of a user in the guild (see Store.forget_user), then the audio only they posted.

        Returns what the store removed and kept, and the number of audio files deleted. Rows go first, so a
        crash in between leaves at most an orphan file, never a row pointing at missing audio.
        """
        report = await self.store.forget_user(guild_id, user_id)
        paths = [located(self.config.data_dir, p) for p in report.audio_paths]
        return report, await asyncio.to_thread(audio.remove_files, paths)

    # --- vocabulary --------------------------------------------------------------------------------------

    async def add_vocabulary(
        self, guild_id: int, terms: Sequence[str], *, user_id: int | None = None
    ) -> list[str]:
        """Add terms, all or none: a vocabulary past `max_vocabulary` is refused with how to make room."""
        cleaned = checked_terms(terms)
        limit = self.config.correction.max_vocabulary
        held = await self.store.vocabulary(guild_id) + await self.store.proposals(guild_id)
        present = {t.casefold() for t in held}  # proposals take room too; approving one takes none more
        new = {t.casefold() for t in cleaned} - present
        if len(present) + len(new) > limit:
            raise CorrectionError(
                f"the vocabulary has {len(present)} of the {limit} terms allowed, no room for {len(new)} "
                "more; remove some with /vocab remove first"
            )
        return await self.store.add_terms(guild_id, cleaned, added_by=user_id, limit=limit)

    async def remove_vocabulary(self, guild_id: int, terms: Sequence[str]) -> list[str]:
        return await self.store.remove_terms(guild_id, checked_terms(terms))


def _threadsafe(progress: ProgressCallback | None) -> ProgressCallback:
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


__all__ = ["CaptionResult", "CaptionService", "CorrectionResult", "MediaError"]
