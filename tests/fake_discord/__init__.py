"""A small fake Discord (REST + gateway) on 127.0.0.1, to run the unmodified discord.py client end to end.

Why a fake and not mocks: the bot's bugs live where discord.py meets Discord (3-second interaction ack window,
2000-character content limit, the first followup after a deferral replacing the "thinking" message, content
being blanked without the message-content intent, attachment URLs with query strings).  Mocking discord.py
objects skips all of that; a fake server lets the real library make real requests, and mirrors those rules.

Pointing discord.py here is configuration only (see ``FakeDiscord.patch_discord_py``)::

    discord.http.Route.BASE = fake.api_base                      # REST, webhooks and interaction callbacks
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)

The second line is required: a plain ``Client``/``commands.Bot`` never calls ``GET /gateway/bot``, it dials
``DEFAULT_GATEWAY`` (only ``AutoShardedClient`` with no shard count asks ``/gateway/bot``).  After READY
discord.py resumes against ``resume_gateway_url``, which the fake points at itself.

Sharding: ``FakeDiscord(shards=2)`` recommends 2 shards in ``/gateway/bot`` and puts new guilds on both
(see ``add_guild``); each shard identifies on its own connection and receives only its guilds' events.

Everything runs in the caller's event loop; nothing leaves 127.0.0.1.
"""

from tests.fake_discord.constants import CallbackType, Intent, MessageFlag, Perm
from tests.fake_discord.records import FakeGuild, FakeInteraction, ReactionEvent, SentMessage, UnknownRoute
from tests.fake_discord.server import FakeDiscord

__all__ = [
    "CallbackType",
    "FakeDiscord",
    "FakeGuild",
    "FakeInteraction",
    "Intent",
    "MessageFlag",
    "Perm",
    "ReactionEvent",
    "SentMessage",
    "UnknownRoute",
]
