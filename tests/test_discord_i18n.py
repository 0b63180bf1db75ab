"""Localization (issue 22, part 5): command names and descriptions reach Discord in German, French and Spanish
through discord.py's app_commands.Translator, and replies follow the member's locale, else the server's.

The control: the same /privacy from an en-US member is English, and a locale the catalog lacks falls back to
English too.
"""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest_asyncio

from bot.discord_app.i18n import COMMANDS, LANGUAGES, MESSAGES, language, ordinal, text
from bot.discord_app.i18n import en as english
from tests.discord_harness import Env, answer, bot_env, caption_reply, caption_result, post_voice_note, slash
from tests.fake_discord import FakeDiscord

VOICE = "The garden needs water every morning during the summer."


@pytest_asyncio.fixture(scope="module")
async def env(tmp_path_factory, discord_shards: int) -> AsyncIterator[Env]:
    def german_server(fake: FakeDiscord) -> dict:
        """A server whose preferred locale (its Community setting) is German."""
        return {"german": fake.add_guild(name="Kanal", locale="de")}

    async with bot_env(
        tmp_path_factory.mktemp("discord-i18n"),
        shards=discord_shards,
        prepare=german_server,
        training={"min_pairs": 10},
    ) as env:
        await env.bot.service.store.set_autocaption(env.extra["german"].id, True)
        yield env


def registered(env: Env, name: str) -> dict[str, Any]:
    found = [c for c in env.fake.global_commands if c["name"] == name]
    assert found, f"/{name} was not registered"
    return found[0]


async def test_command_names_and_descriptions_are_registered_localized(env: Env) -> None:
    caption = registered(env, "caption")
    assert caption["name_localizations"]["de"] == "untertitel"
    assert caption["name_localizations"]["fr"] == "soustitrer"
    assert caption["name_localizations"]["es-ES"] == caption["name_localizations"]["es-419"] == "subtitular"
    assert caption["description_localizations"]["de"].startswith("Einen Videolink")
    assert "en-US" not in caption["name_localizations"]  # English is the command itself
    privacy = registered(env, "privacy")
    for locale in ("de", "fr", "es-ES"):
        assert privacy["name_localizations"][locale] != "privacy"
        assert privacy["description_localizations"][locale] != privacy["description"]
    # a name's translation never becomes a description, nor a sentence a name
    for command in env.fake.global_commands:
        for localized in (command.get("name_localizations") or {}).values():
            assert " " not in localized and localized == localized.lower() and len(localized) <= 32


async def test_a_german_member_gets_privacy_in_german_and_an_english_one_in_english(env: Env) -> None:
    member = env.user("anna")
    shown = await answer(env, await slash(env, "privacy", user=member, locale="de"), lambda m: m.ephemeral)
    assert shown.content.startswith(text("privacy.mode.opt_out", "de")), shown.content
    assert "Du hast nichts gewählt" in shown.content and "`/forget`" in shown.content

    changed = await answer(
        env,
        await slash(env, "privacy", {"my_training": "out"}, user=member, locale="de"),
        lambda m: m.ephemeral,
    )
    assert "Deine Wahl ist jetzt: out." in changed.content and "Du hast widersprochen." in changed.content

    other = env.user("ben")
    english_reply = await answer(env, await slash(env, "privacy", user=other), lambda m: m.ephemeral)
    assert "You have not chosen" in english_reply.content
    unknown = await answer(env, await slash(env, "privacy", user=other, locale="ja"), lambda m: m.ephemeral)
    assert "You have not chosen" in unknown.content  # no Japanese catalog: English


async def test_a_german_member_gets_the_caption_its_progress_and_refusals_in_german(
    env: Env, make_speech, media_server
) -> None:
    url = media_server.publish(make_speech(VOICE), "garten.wav")
    member = env.user("jonas")
    asked = await slash(env, "caption", {"link": url}, user=member, locale="de")
    done = await caption_result(env, asked)
    assert done.content.startswith("📝 **Untertitel** · garten · 0:0"), done.content
    assert "Basismodell" in done.content and "Falsche Wörter? Antworte" in done.content
    shown = [h or "" for h in done.history]
    assert any(h.startswith(("⏳ In der Warteschlange", "⬇️ Wird", "✍️ Wird transkribiert")) for h in shown), (
        shown
    )
    assert not any("Queued" in h or "Transcribing" in h for h in shown), shown
    assert "garden" in done.content.lower()  # the words are what was said, in its language

    refused = await answer(env, await slash(env, "caption", {}, user=member, locale="de"))
    assert refused.ephemeral and refused.content == text("error.link_or_file", "de")
    assert refused.content.startswith("Gib entweder einen Link oder eine Datei")
    english_member = await answer(env, await slash(env, "caption", {}, user=env.user("emma")))
    assert english_member.content == "give either a link or a file to caption (one of them)"  # the control


async def test_a_german_server_gets_voice_notes_corrections_and_fallback_refusals_in_german(
    env: Env, make_speech
) -> None:
    german = env.extra["german"]
    poster = env.user("lena", german)
    posted = await post_voice_note(
        env, make_speech(VOICE, suffix=".ogg"), user=poster, channel_id=german.text_channel_id
    )
    caption = await caption_reply(env, posted)  # no interaction: the server's preferred locale decides
    assert caption.content.startswith("📝 **Untertitel** · Sprachnachricht · "), caption.content
    assert "Falsche Wörter?" in caption.content

    fixer = env.user("paul", german)
    fix = await env.fake.dispatch_message(
        german.text_channel_id, fixer, VOICE, message_reference=caption.message_id
    )
    confirmation = await env.fake.wait_for_message(lambda m: m.reference_message_id == int(fix["id"]), 20.0)
    assert confirmation.content.startswith("✅ Danke!"), confirmation.content
    assert "der 10 Paare, die das nächste /retrain braucht" in confirmation.content

    # a member whose locale the catalog lacks reads the server's language; one with English reads English
    unknown = await answer(env, await slash(env, "caption", {}, guild_id=german.id, user=fixer, locale="ja"))
    assert unknown.content == text("error.link_or_file", "de")
    english = await answer(env, await slash(env, "caption", {}, guild_id=german.id, user=fixer))
    assert english.content == text("error.link_or_file", "en")


def test_plurals_ordinals_and_keyed_refusals() -> None:
    from bot.core.errors import BusyError
    from bot.discord_app.i18n import localized, refusal

    assert text("correction.saved", count=1) == "✅ Thanks! Saved 1 training pair from your correction."
    assert text("correction.saved", count=2) == "✅ Thanks! Saved 2 training pairs from your correction."
    assert text("correction.saved", "fr", count=1).endswith(
        "1 paire d'entraînement enregistrée depuis votre correction."
    )
    assert [ordinal(n) for n in (1, 2, 3, 11, 22)] == ["1st", "2nd", "3rd", "11th", "22nd"]
    assert (ordinal(2, "de"), ordinal(1, "fr"), ordinal(2, "fr"), ordinal(2, "es")) == (
        "2.",
        "1er",
        "2e",
        "2.º",
    )
    error = refusal(BusyError, "error.correction_rate", limit=6, count=1)
    assert str(error).startswith("you've sent 6 corrections") and "in 1 second." in str(error)  # logs, CLI
    assert localized(error, "de").startswith("Du hast in der letzten Minute 6 Korrekturen")
    assert localized(BusyError("no key"), "de") == "no key"  # an error without a key keeps its words


def test_every_key_the_code_names_is_in_the_catalog() -> None:
    """A key named in bot/ (text("…"), refusal(Kind, "…")) that en.py lacks would fail only when shown."""
    named: set[str] = set()
    for path in Path("bot").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        named |= set(re.findall(r"""(?:\btext|_i18n)\(\s*["']([a-z_]+\.[a-z_.]+)["']""", source))
        named |= set(re.findall(r"""refusal\(\s*\w+,\s*["']([a-z_]+\.[a-z_.]+)["']""", source))
    assert len(named) > 30, sorted(named)  # the scan finds them (the control)
    assert named - set(english.MESSAGES) == set()
    singulars = {key for key in english.MESSAGES if key.endswith(".one")}
    assert singulars and all(key.removesuffix(".one") in english.MESSAGES for key in singulars)


def test_every_locale_translates_only_known_keys_with_the_same_placeholders() -> None:
    assert LANGUAGES == ("en", "de", "fr", "es")
    for lang in LANGUAGES[1:]:
        assert set(MESSAGES[lang]) <= set(english.MESSAGES), lang
        for key, template in MESSAGES[lang].items():
            assert sorted(_fields(template)) == sorted(_fields(english.MESSAGES[key])), (lang, key)
        assert set(MESSAGES[lang]) == set(english.MESSAGES), f"{lang} lacks some messages"
        assert COMMANDS[lang]
    assert language("es-419") == "es" and language("en-GB") == "en" and language("pt-BR") is None


def _fields(template: str) -> list[str]:
    import string

    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


# --- issue 22 part 5, the rest: /help, /forget, /vocab suggest, correction notes, keyed refusals, labels -----


def labels(message) -> list[str]:
    return [b.get("label") for row in message.components for b in row["components"]]


async def test_a_german_member_gets_help_forget_and_suggest_in_german(env: Env) -> None:
    member = env.user("greta")
    shown = await answer(env, await slash(env, "help", user=member, locale="de"), lambda m: m.ephemeral)
    assert shown.content.startswith("**Caption-Bot** — untertitelt Sprachnachrichten"), shown.content
    assert "**Was gespeichert wird**" in shown.content and "What is stored" not in shown.content
    english = await answer(env, await slash(env, "help", user=env.user("hank")), lambda m: m.ephemeral)
    assert english.content.startswith("**Caption bot** — captions voice notes") and "**What is stored**" in (
        english.content
    )
    assert all(
        len(text("help.body", lang, retention=text("help.retention.forever", lang))) < 2000
        for lang in LANGUAGES
    )

    prompt = await answer(
        env, await slash(env, "forget", user=member, locale="de"), lambda m: bool(m.components)
    )
    assert prompt.content.startswith("Das löscht deine 0 Korrekturen auf diesem Server"), prompt.content
    assert labels(prompt) == ["Meine Daten löschen", "Abbrechen"]
    buttons = {b["label"]: b["custom_id"] for row in prompt.components for b in row["components"]}
    await env.fake.dispatch_component_interaction(
        buttons["Meine Daten löschen"], prompt.message_id, user=member, locale="de"
    )
    done = await env.fake.wait_for_message(lambda m: m is prompt and "🗑️" in (m.content or ""), timeout=10)
    assert done.content.startswith("🗑️ Erledigt: gelöscht wurden 0 Korrekturen, 0 Untertitel"), done.content
    assert "Keine Modellversion dieses Servers" in done.content and not done.components
    other = env.user("ivan")
    english_prompt = await answer(env, await slash(env, "forget", user=other), lambda m: bool(m.components))
    assert english_prompt.content.startswith("This deletes your 0 corrections in this server")
    assert labels(english_prompt) == ["Delete my data", "Cancel"]

    suggested = await answer(
        env,
        await slash(
            env, "vocab", {"terms": "Zwetschgendatschi"}, subcommand="suggest", user=member, locale="de"
        ),
    )
    assert suggested.content.startswith("Danke! Vorgeschlagen: Zwetschgendatschi; ein Moderator"), (
        suggested.content
    )
    again = await answer(
        env, await slash(env, "vocab", {"terms": "Zwetschgendatschi"}, subcommand="suggest", user=other)
    )
    assert again.content == "Those terms are already in the vocabulary, waiting for review, or were rejected."


async def test_a_german_server_gets_correction_notes_labels_and_keyed_refusals_in_german(
    env: Env, make_speech
) -> None:
    german = env.extra["german"]
    posted = await post_voice_note(
        env,
        make_speech(VOICE, suffix=".ogg"),
        user=env.user("mia", german),
        channel_id=german.text_channel_id,
    )
    caption = await caption_reply(env, posted)
    assert labels(caption) == ["Korrigieren"], caption.components  # the buttons speak the server's language
    fixer = env.user("tom", german)
    unrelated = (
        "Der Garten braucht jeden Morgen im Sommer frisches Wasser."  # a translation, not a correction
    )
    fix = await env.fake.dispatch_message(
        german.text_channel_id, fixer, unrelated, message_reference=caption.message_id
    )
    confirmation = await env.fake.wait_for_message(lambda m: m.reference_message_id == int(fix["id"]), 20.0)
    assert "Sie korrigiert nur diese Untertitel: sie teilt fast keine Wörter mit dem Gehörten (0%)" in (
        confirmation.content
    ), confirmation.content
    assert "It fixes this caption only" not in confirmation.content

    # the Correct form follows the presser's locale; an empty correction is refused in German from below
    click = await env.fake.dispatch_component_interaction(
        f"caption:correct:{_caption_id(caption)}", caption.message_id, user=fixer, locale="de"
    )
    modal = await env.fake.wait_for_interaction_response(click.token)
    assert modal.payload["title"] == "Untertitel korrigieren", modal.payload
    assert modal.payload["components"][0]["label"] == "Transkript"
    submit = await env.fake.dispatch_modal_submit(None, {"part1": "   "}, user=fixer, locale="de")
    refused = await answer(env, submit, lambda m: m.ephemeral)
    assert refused.content == "Die Korrektur ist leer; schick die korrigierten Wörter der Untertitel.", (
        refused.content
    )
    english_click = await env.fake.dispatch_component_interaction(
        f"caption:correct:{_caption_id(caption)}", caption.message_id, user=fixer
    )
    english_modal = await env.fake.wait_for_interaction_response(english_click.token)
    assert english_modal.payload["title"] == "Correct the caption"
    english_submit = await env.fake.dispatch_modal_submit(None, {"part1": ""}, user=fixer)
    english_refusal = await answer(env, english_submit, lambda m: m.ephemeral)
    assert english_refusal.content == "the correction is empty; send the corrected words of the caption"


async def test_an_english_server_gets_the_unrelated_note_in_english(env: Env, make_speech) -> None:
    """The control for the German note: the same unrelated correction in the English server."""
    posted = await post_voice_note(env, make_speech(VOICE, suffix=".ogg"), user=env.user("noah"))
    caption = await caption_reply(env, posted)
    assert labels(caption) == ["Correct"]
    fix = await env.fake.dispatch_message(
        env.channel_id, env.user("olga"), "Der Garten braucht jeden Morgen im Sommer frisches Wasser.",
        message_reference=caption.message_id,
    )  # fmt: skip
    confirmation = await env.fake.wait_for_message(lambda m: m.reference_message_id == int(fix["id"]), 20.0)
    assert "It fixes this caption only: it shares almost no words with what was heard (0%)" in (
        confirmation.content
    ), confirmation.content


def _caption_id(message) -> int:
    ids = [b["custom_id"] for row in message.components for b in row["components"]]
    return int(next(i for i in ids if i.startswith("caption:correct:")).rsplit(":", 1)[1])


def test_refusals_raised_below_discord_name_their_catalog_entry_with_the_same_english() -> None:
    """bot/core and bot/service cannot import the catalog: their English and the catalog's must agree, and the
    Discord layer shows the key in the reader's language (the CLI keeps the English)."""
    from bot.core.config import MediaConfig
    from bot.core.errors import UserError
    from bot.core.media.audio import too_long_error
    from bot.core.media.downloads import _check_info, _explain_download_error
    from bot.discord_app.i18n import localized
    from bot.service.corrections import NOTE_NOT_TRAINING, NOTE_REPLACES, proposals_full_note, unrelated_note
    from bot.service.moderation import checked_terms

    config = MediaConfig()
    raised: list[UserError] = [too_long_error(7200.0, config)]
    for info in ({"_type": "playlist"}, {"is_live": True}, {"filesize": 10**12}):
        try:
            _check_info(info, config)
        except UserError as exc:
            raised.append(exc)
    for message in ("Private video", "Video unavailable", "Unsupported URL: x", "read timed out"):
        raised.append(_explain_download_error(Exception(message)))
    for terms in ([], ["x" * 500]):
        try:
            checked_terms(terms)
        except UserError as exc:
            raised.append(exc)
    assert len(raised) == 10 and all(e.key for e in raised), [str(e) for e in raised]
    for error in raised:
        assert str(error) == text(error.key, "en", **error.values), error.key
        assert localized(error, "de") != str(error), error.key
    assert localized(raised[1], "de") == "Playlists werden nicht untertitelt; verlinke ein einzelnes Video."
    assert localized(raised[1], "en") == "playlists are not captioned; link a single video"

    for note in (NOTE_NOT_TRAINING, NOTE_REPLACES, proposals_full_note(50), unrelated_note(0.125)):
        assert note.text == text(note.key, "en", **note.values), note.key
    assert "(12%)" in text(unrelated_note(0.125).key, "fr", shared=0.125)


def test_button_and_form_labels_follow_the_language() -> None:
    from bot.discord_app.views import caption_view, link_view

    def shown(view) -> list[str]:
        return [item.item.label for item in view.children]

    assert shown(caption_view(7, file_button=True)) == ["Correct", "Get .vtt"]
    assert shown(caption_view(7, file_button=True, lang="de")) == ["Korrigieren", ".vtt holen"]
    assert shown(caption_view(7, file_button=True, lang="es")) == ["Corregir", "Obtener .vtt"]
    assert shown(link_view(7, "fr")) == ["Sous-titrer"] and shown(link_view(7)) == ["Caption"]
    for lang in LANGUAGES:  # Discord's limits: a modal title and a label 45 characters
        assert (
            len(text("modal.title", lang)) <= 45
            and len(text("modal.field_part", lang, part=5, parts=5)) <= 45
        )


async def test_a_german_moderator_gets_vocabmod_and_the_retrain_refusal_in_german(env: Env) -> None:
    mod = env.moderator
    added = await answer(
        env,
        await slash(
            env, "vocabmod", {"terms": "Brezelteig, Brezelteig"}, subcommand="add", user=mod, locale="de"
        ),
    )
    assert added.content.startswith("Hinzugefügt: Brezelteig."), added.content
    again = await answer(
        env, await slash(env, "vocabmod", {"terms": "Brezelteig"}, subcommand="add", user=mod)
    )
    assert again.content == "Brezelteig: already in the vocabulary."  # the English control
    moderation = env.bot.service.moderation
    await moderation.reject_proposals(
        env.guild.id, proposed_before=time.time()
    )  # what earlier tests proposed
    await moderation.suggest_vocabulary(env.guild.id, ["Laugenstange"], user_id=1)
    review = await answer(
        env,
        await slash(env, "vocabmod", subcommand="review", user=mod, locale="de"),
        lambda m: bool(m.components),
    )
    assert review.content.startswith("**1 vorgeschlagener Begriff zu prüfen**"), review.content
    assert "Laugenstange annehmen" in labels(review) and "Alle 1 wartenden ablehnen" in labels(review)
    english_review = await answer(
        env, await slash(env, "vocabmod", subcommand="review", user=mod), lambda m: bool(m.components)
    )
    assert english_review.content.startswith(
        "**1 proposed term to review**"
    ) and "Approve Laugenstange" in labels(english_review)
    press = await env.fake.dispatch_component_interaction(
        "vocab:approve:Laugenstange", review.message_id, user=mod, locale="de"
    )
    approved = await answer(env, press, lambda m: m.ephemeral)
    assert approved.content.startswith("✅ Laugenstange angenommen"), approved.content

    refused = await answer(env, await slash(env, "retrain", user=mod, locale="de"), lambda m: m.ephemeral)
    assert refused.content.startswith("Dieser Server hat ") and "ein Retrain braucht mindestens 10" in (
        refused.content
    ), refused.content
    english = await answer(env, await slash(env, "retrain", user=mod), lambda m: m.ephemeral)
    assert english.content.startswith("this server has ") and "a retrain needs at least 10" in english.content


def test_rollback_and_the_retrain_announcement_follow_the_language() -> None:
    from types import SimpleNamespace

    from bot.core.store import JobStatus
    from bot.discord_app.formatting import announcement_text, rollback_text

    assert (
        rollback_text(None, "Whisper tiny.en")
        == "↩️ Rolled back: this server now uses the base model (Whisper tiny.en)."
    )
    assert (
        rollback_text(SimpleNamespace(version=3), "x", "de")
        == "↩️ Zurückgerollt: dieser Server nutzt wieder Modell v3."
    )
    assert (
        announcement_text(JobStatus.FAILED, None, "", 42)
        == "⚠️ Retrain failed (asked by <@42>): no reason was recorded"
    )
    assert announcement_text(JobStatus.FAILED, None, "out of memory", 42, "fr") == (
        "⚠️ Le réentraînement a échoué (demandé par <@42>) : out of memory"
    )


async def test_restart_notices_are_in_each_servers_language(tmp_path: Path, discord_shards: int) -> None:
    """A request cut off by a restart is told in its server's preferred locale; the English server is the
    control."""
    import contextlib
    import sqlite3

    from bot.core.config import load_config
    from bot.core.store import Store
    from bot.discord_app.client import start_bot
    from tests.discord_harness import TEST_TOKEN, eventually, sharded, shards_setting, write_config

    async with FakeDiscord(token=TEST_TOKEN, **sharded(discord_shards)) as fake:
        german = fake.add_guild(name="Hier", locale="de")
        english = fake.add_guild(name="Here")
        config_file = write_config(
            tmp_path / "config.toml",
            tmp_path / "data",
            fake,
            discord={"shards": shards_setting(discord_shards)},
        )
        config = load_config(config_file)
        store = await Store.open(config.database_path)
        try:
            await store.add_pending_caption(
                german.id,
                channel_id=german.text_channel_id,
                user_id=31,
                message_id=None,
                kind="file",
                label="a.ogg",
            )
            await store.add_pending_caption(
                english.id,
                channel_id=english.text_channel_id,
                user_id=32,
                message_id=None,
                kind="link",
                label="x",
            )
        finally:
            await store.close()

        def pending() -> int:
            with contextlib.closing(sqlite3.connect(config.database_path)) as db:
                return db.execute("SELECT COUNT(*) FROM pending_captions").fetchone()[0]

        async with start_bot(config, guild_ready_timeout=0.05):
            await eventually(lambda: pending() == 0, timeout=10, what="rows settled")
            sent = {m.channel_id: m.content for m in fake.messages if m.kind == "channel"}
    assert sent[german.text_channel_id] == (
        "<@31> Ich wurde neu gestartet, während ich deine Datei `a.ogg` untertitelte, daher wurde sie nicht "
        "fertig. Bitte poste sie erneut."
    )
    assert sent[english.text_channel_id] == (
        "<@32> I restarted while captioning your link `x`, so it was not finished. Please run /caption again."
    )


async def test_a_german_moderator_gets_settings_in_german(env: Env) -> None:
    mod = env.moderator

    async def settings(sub: str, locale: str = "en-US", **options: Any) -> str:
        reply = await answer(
            env, await slash(env, "settings", options, subcommand=sub, user=mod, locale=locale)
        )
        return reply.content

    shown = await settings("show", "de")
    assert shown.startswith("**Untertitel-Einstellungen**\nAutocaption: an (Serverstandard)"), shown
    assert "Wer moderiert: Mitglieder mit der Berechtigung „Server verwalten“" in shown
    english = await settings("show")
    assert english.startswith("**Caption settings**\nAutocaption: on (server default)"), english
    assert await settings("replies", "de", style="file") == (
        "📎 Untertitel werden mit angehängter Untertiteldatei und einer Vorschau des Texts gepostet."
    )
    assert await settings("replies", style="file") == (
        "📎 Captions will be posted with the captions file attached and a preview of the text."
    )
    assert await settings("autocaption", "de", state="default") == (
        "'default' lässt einen Kanal der Servereinstellung folgen; nenne dazu einen Kanal."
    )
    assert await settings("autocaption", state="default") == (
        "'default' makes a channel follow the server's setting; name a channel with it."
    )
    changed = await settings("autocaption", "de", state="on", channel=env.channel_id)
    assert (
        changed
        == f"🎙️ Sprachnachrichten und Audio-/Videodateien, die in <#{env.channel_id}> gepostet werden, werden untertitelt."
    )


async def test_a_german_member_gets_vocab_list_in_german(env: Env) -> None:
    german = env.extra["german"]  # its vocabulary is empty: nobody added words there
    member = env.user("lotte", german)
    empty = await answer(
        env, await slash(env, "vocab", subcommand="list", guild_id=german.id, user=member, locale="de")
    )
    assert empty.content == (
        "Das Vokabular dieses Servers ist leer. Schlage die Wörter der Community mit /vocab suggest vor."
    )
    english = await answer(env, await slash(env, "vocab", subcommand="list", guild_id=german.id, user=member))
    assert english.content.startswith("This server's vocabulary is empty.")
    await env.bot.service.add_vocabulary(env.guild.id, ["Kaiserschmarrn"], user_id=1)
    listed = await answer(env, await slash(env, "vocab", subcommand="list", user=member, locale="de"))
    assert listed.content.startswith("Das Vokabular dieses Servers ("), listed.content
    assert "Kaiserschmarrn" in listed.content


def test_the_retrain_messages_progress_lines_follow_the_language() -> None:
    from types import SimpleNamespace

    from bot.core.store import JobStatus
    from bot.discord_app.retrain_progress import ended_line, progress_line

    running = SimpleNamespace(
        id=4, status=JobStatus.RUNNING, started_at=100.0, created_at=90.0, progress=0.5, stage="training"
    )
    assert progress_line(running, 400.0) == (
        "🧠 Retrain (job 4): training · 50% · about 5 min left. I'll post the results here when it's done."
    )
    assert progress_line(running, 400.0, "de") == (
        "🧠 Retrain (Job 4): training · 50 % · etwa 5 Min. übrig. Ich poste die Ergebnisse hier, wenn es fertig ist."
    )
    failed = SimpleNamespace(id=4, status=JobStatus.FAILED)
    assert (
        ended_line(failed, "es")
        == "⚠️ Reentrenamiento (tarea 4) fallido; el motivo está en el mensaje de abajo."
    )
    assert ended_line(failed) == "⚠️ Retrain (job 4) failed; the reason is in the message below."


async def test_a_german_moderator_gets_corrections_and_spelling_in_german(env: Env) -> None:
    mod = env.moderator

    async def ask(name: str, sub: str, locale: str = "en-US", **options: Any) -> str:
        reply = await answer(env, await slash(env, name, options, subcommand=sub, user=mod, locale=locale))
        return reply.content

    assert await ask("corrections", "list", "de", caption=999999) == "Keine Korrekturen passen."
    assert await ask("corrections", "list", caption=999999) == "No corrections match."
    spelling = await ask("spelling", "list", "de")
    assert spelling.startswith(("Noch keine Schreibregeln.", "**Schreibregeln** (sofort")), spelling
    assert (await ask("spelling", "list")).startswith(("No spelling rules yet.", "**Spelling rules**"))


def test_the_corrections_audit_and_spelling_rules_follow_the_language() -> None:
    from types import SimpleNamespace

    from bot.discord_app.review_text import corrections_text, removed_correction_text, spelling_text

    row = SimpleNamespace(
        id=5, user_id=None, created_at=1700000000.0, text="Hallo  Welt", caption_id=9, pairs=2
    )
    assert corrections_text([row], 3, "de") == (
        "**Korrekturen** (neueste zuerst, 1 von 3 auf diesem Server)\n"
        "`#5` Untertitel 9, von jemand, der /forget genutzt hat <t:1700000000:R>, 2 Paar(e): Hallo Welt"
    )
    assert corrections_text([row], 3).endswith(
        "`#5` caption 9, by someone who used /forget <t:1700000000:R>, 2 pair(s): Hallo Welt"
    )
    assert removed_correction_text(5, 2, 7, "fr").startswith("🗑️ Correction #5 retirée avec ses 2 paire(s)")
    rule = SimpleNamespace(heard="mer vathon", term="Mervathon", captions=3)
    assert spelling_text([rule], "es") == (
        "**Reglas de ortografía** (aplicadas al instante a los nuevos subtítulos)\n• mer vathon → Mervathon (3 subtítulos)"
    )
    assert spelling_text([rule]).endswith("• mer vathon → Mervathon (3 captions)")


async def test_a_german_member_is_refused_moderator_commands_in_german(env: Env) -> None:
    member = env.user("udo")
    refused = await answer(env, await slash(env, "settings", subcommand="show", user=member, locale="de"))
    assert refused.ephemeral and refused.content == (
        "Nur Mitglieder mit der Berechtigung „Server verwalten“ können die Untertitel-Einstellungen sehen."
    ), refused.content
    english = await answer(env, await slash(env, "retrain", user=member))
    assert english.content == "only members with the Manage Server permission can start a retrain."
    spanish = await answer(env, await slash(env, "rollback", user=member, locale="es-ES"))
    assert (
        spanish.content
        == "Solo los miembros con el permiso Gestionar servidor pueden volver al modelo anterior."
    )


async def test_a_german_member_gets_model_show_in_german(env: Env) -> None:
    member = env.user("vera")
    shown = await answer(env, await slash(env, "model", subcommand="show", user=member, locale="de"))
    assert shown.content.startswith("**Im Einsatz** ") and "(Basis = " in shown.content, shown.content
    assert "Noch kein neu trainiertes Modell." in shown.content  # nothing was retrained in this module
    english = await answer(env, await slash(env, "model", subcommand="show", user=member))
    assert english.content.startswith("**Serving** ") and "No retrained model yet." in english.content


async def test_the_caption_menu_refusal_follows_the_askers_language(env: Env, make_speech) -> None:
    from bot.core.store import ChannelSetting

    german, store = env.extra["german"], env.bot.service.store
    channel = german.text_channel_id
    for name in (ChannelSetting.AUTOCAPTION, ChannelSetting.ON_REQUEST):
        await store.set_channel_setting(german.id, name, channel, False)
    try:
        posted = await post_voice_note(
            env, make_speech(VOICE, suffix=".ogg"), user=env.user("wim", german), channel_id=channel
        )
        asker = env.user("xena", german)
        refused = await answer(
            env, await env.fake.dispatch_context_menu("Caption", int(posted["id"]), user=asker, locale="de")
        )
        assert refused.content == (
            "Untertitel auf Anfrage sind in diesem Kanal ausgeschaltet (/settings requests eines Moderators); "
            "nichts wurde gespeichert."
        ), refused.content
        english = await answer(
            env, await env.fake.dispatch_context_menu("Caption", int(posted["id"]), user=asker)
        )
        assert english.content == (
            "captions on request are turned off in this channel (a moderator's /settings requests); nothing was "
            "stored."
        )
    finally:
        for name in (ChannelSetting.AUTOCAPTION, ChannelSetting.ON_REQUEST):
            await store.set_channel_setting(german.id, name, channel, None)
