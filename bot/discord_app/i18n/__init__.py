"""One message catalog for what the bot says, and the command names and descriptions Discord shows, per locale.

`en.py` is the source: every key the bot uses, in English. `de.py`, `fr.py` and `es.py` translate some or all
of them; a key a locale lacks falls back to English, so a new message never breaks a locale. Replies follow
the member's locale (an interaction's `locale`, what their Discord client is set to) when the catalog has it,
else the server's preferred locale (`guild_locale`; a posted voice note only has that), else English.

Command names and descriptions reach Discord through `CatalogTranslator` (discord.py's
app_commands.Translator) as name_localizations and description_localizations when the commands are synced.
"""

from __future__ import annotations

from typing import Any, TypeVar

import discord
from discord import app_commands

from bot.core.errors import UserError
from bot.discord_app.i18n import de, en, es, fr

LANGUAGES = ("en", "de", "fr", "es")
MESSAGES: dict[str, dict[str, str]] = {
    "en": en.MESSAGES,
    "de": de.MESSAGES,
    "fr": fr.MESSAGES,
    "es": es.MESSAGES,
}
COMMANDS: dict[str, dict[str, str]] = {"de": de.COMMANDS, "fr": fr.COMMANDS, "es": es.COMMANDS}


def language(locale: object) -> str | None:
    """The catalog's language for a Discord locale ("de", "es-ES", "en-GB", discord.Locale.french), or None."""
    if locale is None:
        return None
    code = str(getattr(locale, "value", locale)).split("-", 1)[0].lower()
    return code if code in LANGUAGES else None


def reply_language(interaction: discord.Interaction) -> str:
    """The member's locale if the catalog has it, else the server's preferred locale, else English."""
    return language(interaction.locale) or language(interaction.guild_locale) or "en"


def guild_language(guild: discord.Guild | None) -> str:
    """For what the bot posts without an interaction (a reply to a voice note): the server's locale."""
    return (language(guild.preferred_locale) if guild is not None else None) or "en"


def text(key: str, lang: str = "en", /, **values: Any) -> str:
    """The message `key` in `lang` (English where that language lacks it), with `values` filled in.

    A message about a number has a `count` value; where it is 1 and the catalog has `key.one` (the singular),
    that is used: "1 second", "2 seconds". A value named `x_key` is a catalog key shown in the same language
    as `{x}` (a refusal that names what was refused: "only moderators can {action}").
    """
    if values.get("count") == 1 and f"{key}.one" in en.MESSAGES:
        key = f"{key}.one"
    if any(
        name.endswith("_key") for name in values
    ):  # a value that is itself a message, in the same language
        values = {
            (name[:-4] if name.endswith("_key") else name): (
                text(value, lang) if name.endswith("_key") else value
            )
            for name, value in values.items()
        }
    template = MESSAGES.get(lang, {}).get(key) or en.MESSAGES[key]
    return template.format(**values) if values else template


E = TypeVar("E", bound=UserError)


def refusal(kind: type[E], key: str, /, **values: Any) -> E:
    """A UserError of `kind` whose message is catalog entry `key` in English (what the logs and the CLI show);
    `localized` shows it in the reader's language."""
    return kind(text(key, "en", **values), key=key, values=values)


def localized(error: UserError, lang: str) -> str:
    """A UserError in `lang` when it names a catalog entry, else its own (English) message."""
    if error.key is None or error.key not in en.MESSAGES:
        return str(error)
    return text(error.key, lang, **error.values)


def ordinal(n: int, lang: str = "en") -> str:
    """A place in line as each language writes it: 2nd, 2., 2e, 2.º."""
    if lang == "de":
        return f"{n}."
    if lang == "fr":
        return "1er" if n == 1 else f"{n}e"
    if lang == "es":
        return f"{n}.º"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


class CatalogTranslator(app_commands.Translator):
    """Command, option and choice names and descriptions from the COMMANDS mappings (English is the key)."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        lang = language(locale)
        if lang is None or lang == "en":
            return None
        found = COMMANDS[lang].get(string.message)
        is_name = context.location in (
            app_commands.TranslationContextLocation.command_name,
            app_commands.TranslationContextLocation.group_name,
        )
        if found is not None and (" " in string.message) == is_name:
            return None  # a name's translation only names commands; a sentence only describes
        return found
