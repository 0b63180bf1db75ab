"""Who may do what: moderators for the commands that change a server, and the bot's own channel rights.

The bot checks its own permissions before acting so that a user is told which permission is missing,
instead of getting a half-finished answer or nothing at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

import discord

from bot.core.errors import PermissionDeniedError, UserError
from bot.discord_app.i18n import refusal

# Every channel permission the bot itself uses, with the name Discord shows and why: the one definition that
# the runtime checks below (`missing`, `require_bot_permissions`) accept and that the invite URL asks for
# (`invite_permissions`, printed by `python -m bot setup`). tests/test_setup.py derives the set from the code.
BOT_PERMISSIONS: dict[str, tuple[str, str]] = {
    "view_channel": ("View Channel", "see the channels where members post voice notes and links"),
    "send_messages": ("Send Messages", "reply with captions"),
    "send_messages_in_threads": ("Send Messages in Threads", "reply with captions inside threads"),
    "attach_files": ("Attach Files", "post the .vtt captions and the retrain results"),
    "read_message_history": ("Read Message History", "reply to a posted file and read corrected captions"),
    "add_reactions": ("Add Reactions", "mark a saved correction, or a refused one, on the member's reply"),
}
# Checked on members (who may moderate), never asked of the bot.
MEMBER_PERMISSIONS = ("manage_guild",)
PERMISSION_NAMES = {flag: name for flag, (name, _) in BOT_PERMISSIONS.items()}
INVITE_SCOPES = ("bot", "applications.commands")


def invite_permissions() -> discord.Permissions:
    """The permissions the invite asks for: exactly BOT_PERMISSIONS."""
    return discord.Permissions(**dict.fromkeys(BOT_PERMISSIONS, True))


def invite_url(application_id: int) -> str:
    return discord.utils.oauth_url(application_id, permissions=invite_permissions(), scopes=INVITE_SCOPES)


class MissingBotPermissions(UserError):
    """The bot itself lacks a channel permission; the message names it and who can fix it."""


class ModeratorRoles(Protocol):
    """Where a server's moderator role id comes from (the service: the server's own, else the config's)."""

    async def moderator_role(self, guild_id: int) -> int | None: ...


def manages_server(member: discord.abc.User, channel_permissions: discord.Permissions | None) -> bool:
    """Manage Server (or Administrator) in this channel or guild-wide: a moderator whatever the role setting."""
    if channel_permissions is not None and channel_permissions.manage_guild:
        return True
    return isinstance(member, discord.Member) and member.guild_permissions.manage_guild


def is_moderator(
    member: discord.abc.User, role_id: int | None, channel_permissions: discord.Permissions | None
) -> bool:
    """Manage Server, or the server's moderator role matched by id. Never by name: anyone with Manage Roles
    can create a role called anything, so a name would let them make themselves a moderator."""
    if manages_server(member, channel_permissions):
        return True
    if role_id is None or not isinstance(member, discord.Member):
        return False
    return any(r.id == role_id for r in member.roles)


# What a moderator command refuses, by the words its cog names it with: the catalog's "action.*" entries
ACTIONS = {
    "change the caption settings": "action.change_settings",
    "see the caption settings": "action.see_settings",
    "change the vocabulary": "action.change_vocabulary",
    "review the vocabulary": "action.review_vocabulary",
    "see the corrections": "action.see_corrections",
    "remove corrections": "action.remove_corrections",
    "see the spelling rules": "action.see_spelling",
    "remove spelling rules": "action.remove_spelling",
    "roll the model back": "action.rollback",
    "start a retrain": "action.retrain",
    "choose the moderator role": "action.choose_moderators",
}


async def require_moderator(interaction: discord.Interaction, roles: ModeratorRoles, action: str) -> None:
    """Manage Server passes at once, without a query; anyone else is checked against the server's moderator
    role id (one read), which the refusal names so the member knows whom to ask."""
    if manages_server(interaction.user, interaction.permissions):
        return
    role_id = None
    if interaction.guild_id is not None:
        role_id = await roles.moderator_role(interaction.guild_id)
    if is_moderator(interaction.user, role_id, interaction.permissions):
        return
    if action in ACTIONS:  # the catalog's line, in the reader's language
        if role_id:
            raise refusal(
                PermissionDeniedError, "error.moderators_only_role", role=role_id, action_key=ACTIONS[action]
            )
        raise refusal(PermissionDeniedError, "error.managers_only", action_key=ACTIONS[action])
    who = "members with the Manage Server permission" + (f" or the <@&{role_id}> role" if role_id else "")
    raise PermissionDeniedError(f"only {who} can {action}.")


def require_manage_server(interaction: discord.Interaction, action: str) -> None:
    """For what decides who moderates: Manage Server only, so the moderator role cannot widen itself."""
    if not manages_server(interaction.user, interaction.permissions):
        if action in ACTIONS:
            raise refusal(PermissionDeniedError, "error.managers_only", action_key=ACTIONS[action])
        raise PermissionDeniedError(f"only members with the Manage Server permission can {action}.")


def require_corrector(
    user: discord.abc.User, role_id: int | None, moderator_role: int | None, action: str = "correct captions"
) -> None:
    """Who may correct captions: everyone when no corrector role is set, else its members and moderators.

    Why moderators too: they undo corrections, so refusing them theirs would only send them to /settings.
    """
    if role_id is None or is_moderator(user, moderator_role, None):
        return
    if isinstance(user, discord.Member) and any(r.id == role_id for r in user.roles):
        return
    if action == "correct captions":  # the catalog's line, in the reader's language
        raise refusal(PermissionDeniedError, "error.not_corrector", role=role_id)
    if action == "suggest terms":
        raise refusal(PermissionDeniedError, "error.not_suggester", role=role_id)
    raise PermissionDeniedError(
        f"only members with the <@&{role_id}> role can {action} in this server; nothing was saved."
    )


def missing(permissions: discord.Permissions, needed: Iterable[str]) -> list[str]:
    """The Discord names of the needed permissions the bot lacks. A name outside BOT_PERMISSIONS is a bug:
    the invite would not ask for it."""
    needed = list(needed)
    unknown = [name for name in needed if name not in BOT_PERMISSIONS]
    if unknown:
        raise ValueError(f"not in BOT_PERMISSIONS (so not in the invite): {', '.join(unknown)}")
    return [PERMISSION_NAMES[name] for name in needed if not getattr(permissions, name)]


def missing_text(names: list[str], action: str) -> str:
    listed = " and ".join(names) if len(names) <= 2 else ", ".join(names[:-1]) + f" and {names[-1]}"
    plural = "s" if len(names) > 1 else ""
    return (
        f"I can't {action} in this channel: I'm missing the {listed} permission{plural}. "
        "A server admin can grant it in the channel or role settings."
    )


def require_bot_permissions(permissions: discord.Permissions, needed: Iterable[str], action: str) -> None:
    names = missing(permissions, needed)
    if names:
        raise MissingBotPermissions(missing_text(names, action))


def bot_permissions_in(channel: discord.abc.GuildChannel | discord.Thread) -> discord.Permissions:
    """What the bot may do in a channel (from the cached roles and overwrites)."""
    return channel.permissions_for(channel.guild.me)


def send_permission(channel: object) -> str:
    """Posting in a thread needs Send Messages in Threads; elsewhere Send Messages."""
    return "send_messages_in_threads" if isinstance(channel, discord.Thread) else "send_messages"
