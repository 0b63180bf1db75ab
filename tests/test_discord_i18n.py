"""Localization (issue 22, part 5): command names and descriptions reach Discord in German, French and Spanish
through discord.py's app_commands.Translator, and replies follow the member's locale, else the server's.

The control: the same /privacy from an en-US member is English, and a locale the catalog lacks falls back to
English too.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest_asyncio

from bot.discord_app.i18n import COMMANDS, LANGUAGES, MESSAGES, language, text
from bot.discord_app.i18n import en as english
from tests.discord_harness import Env, answer, bot_env, slash


@pytest_asyncio.fixture(scope="module")
async def env(tmp_path_factory, discord_shards: int) -> AsyncIterator[Env]:
    async with bot_env(tmp_path_factory.mktemp("discord-i18n"), shards=discord_shards) as env:
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
