"""The Discord half of `python -m bot setup`: the token (GET /users/@me), the privileged Message Content intent
(the application's flags, GET /oauth2/applications/@me), and the invite URL with exactly the scopes and
permissions the bot uses (bot/discord_app/permissions.py).

Nothing connects to the gateway: a token that is refused or an intent that is off is one line naming where
in the Developer Portal to fix it.
"""

from __future__ import annotations

import discord

from bot.core.config import Config
from bot.discord_app.client import configure_endpoints, intents
from bot.discord_app.permissions import BOT_PERMISSIONS, INVITE_SCOPES, invite_permissions, invite_url
from bot.service.readiness import Finding

PORTAL = "https://discord.com/developers/applications"
NO_TOKEN = (
    f"no bot token; create one in the Developer Portal ({PORTAL} > your app > Bot > Reset Token) and set "
    "[discord] token in config.toml or the DISCORD_TOKEN environment variable"
)
BAD_TOKEN = (
    f"Discord refused the bot token; copy it again from the Developer Portal ({PORTAL} > your app > Bot > "
    "Reset Token) into [discord] token or DISCORD_TOKEN"
)
INTENT_OFF = (
    "the Message Content intent is off, so the bot cannot read voice notes and corrections; enable it in the "
    f"Developer Portal ({PORTAL} > your app > Bot > Privileged Gateway Intents > Message Content Intent)"
)


def message_content_enabled(flags: discord.ApplicationFlags) -> bool:
    """Enabled for a verified bot (gateway_message_content) or one on under 100 servers (..._limited)."""
    return bool(flags.gateway_message_content or flags.gateway_message_content_limited)


def invite_lines(application_id: int) -> list[str]:
    """The invite URL, its scopes, and each permission by name with why the bot needs it."""
    lines = [
        f"invite: {invite_url(application_id)}",
        f"  scopes: {' '.join(INVITE_SCOPES)}",
        f"  permissions ({invite_permissions().value}):",
    ]
    lines += [f"    {name}: {why}" for name, why in BOT_PERMISSIONS.values()]
    return lines


async def discord_findings(config: Config) -> tuple[list[Finding], list[str]]:
    """The token and intent findings, and the invite lines (empty when the token does not work)."""
    token = config.discord_token
    if not token:
        return [Finding(False, "token", NO_TOKEN)], []
    configure_endpoints(config)
    client = discord.Client(intents=intents())
    try:
        try:
            await client.login(token)
        except discord.LoginFailure:
            return [Finding(False, "token", BAD_TOKEN)], []
        except (discord.HTTPException, OSError) as exc:
            reason = " ".join(str(exc).split())[:200]
            return [
                Finding(
                    False,
                    "token",
                    f"Discord could not be reached ({reason}); check the network, or [discord] api_base_url",
                )
            ], []
        me = client.user
        found = [Finding(True, "token", f"valid: the bot is {me} (id {me.id if me else '?'})")]
        app = await client.application_info()
        if message_content_enabled(app.flags):
            found.append(Finding(True, "intent", "the Message Content intent is enabled"))
        else:
            found.append(Finding(False, "intent", INTENT_OFF))
        return found, invite_lines(app.id)
    finally:
        await client.close()
