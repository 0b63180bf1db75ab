"""The fake Discord as tests use it: one object assembled from the mixins, the HTTP server's lifecycle, and
the one table of every route it answers (anything else lands in ``unknown_routes`` with a 404).
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator

from aiohttp import web

from tests.fake_discord.constants import API_PREFIX
from tests.fake_discord.driver import DriverMixin
from tests.fake_discord.gateway import GatewayMixin
from tests.fake_discord.messages import MessagesMixin
from tests.fake_discord.rest import RestMixin


class FakeDiscord(DriverMixin, MessagesMixin, RestMixin, GatewayMixin):
    """Fake Discord REST API + gateway.  Use as ``async with FakeDiscord() as fake:``.

    Configure guilds with ``add_guild`` before the bot connects; drive the bot with the ``dispatch_*``
    helpers; inspect ``messages``, ``callbacks``, ``reactions``, ``heartbeats``, ``unknown_routes``.

    World set-up is ``WorldMixin``, the REST routes ``RestMixin`` and ``MessagesMixin``, the websocket
    ``GatewayMixin``, the test helpers ``DriverMixin``; all share the state of ``FakeState``.
    """

    # ------------------------------------------------------------------------------------------ lifecycle

    async def __aenter__(self) -> FakeDiscord:
        app = web.Application(client_max_size=256 * 1024 * 1024, middlewares=[self._middleware])
        self._add_routes(app)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        for ws in list(self._all_ws):
            await ws.close(code=1001, message=b"fake discord shutting down")
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @contextlib.contextmanager
    def patch_discord_py(self) -> Iterator[None]:
        """Point discord.py's REST base and default gateway here, restoring both afterwards."""
        import discord.gateway
        import discord.http
        import yarl

        old_base = discord.http.Route.BASE
        old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
        discord.http.Route.BASE = self.api_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(self.gateway_url)
        try:
            yield
        finally:
            discord.http.Route.BASE = old_base
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway

    # -------------------------------------------------------------------------------------------- routing

    def _add_routes(self, app: web.Application) -> None:
        p = API_PREFIX
        r = app.router
        r.add_get("/gateway", self._gateway_ws)
        r.add_get("/attachments/{channel_id}/{attachment_id}/{filename}", self._serve_attachment)
        r.add_get(f"{p}/gateway", self._get_gateway)
        r.add_get(f"{p}/gateway/bot", self._get_gateway_bot)
        r.add_get(f"{p}/users/@me", self._get_me)
        r.add_post(f"{p}/users/@me/channels", self._create_dm)
        r.add_get(f"{p}/users/{{user_id}}", self._get_user)
        r.add_get(f"{p}/oauth2/applications/@me", self._get_application)
        r.add_get(f"{p}/applications/@me", self._get_application)
        r.add_get(f"{p}/applications/{{app_id}}/commands", self._get_commands)
        r.add_put(f"{p}/applications/{{app_id}}/commands", self._put_commands)
        r.add_get(f"{p}/applications/{{app_id}}/guilds/{{guild_id}}/commands", self._get_commands)
        r.add_put(f"{p}/applications/{{app_id}}/guilds/{{guild_id}}/commands", self._put_commands)
        r.add_post(f"{p}/interactions/{{interaction_id}}/{{token}}/callback", self._interaction_callback)
        r.add_post(f"{p}/webhooks/{{app_id}}/{{token}}", self._followup)
        wh_msg = f"{p}/webhooks/{{app_id}}/{{token}}/messages/{{message_id}}"
        r.add_get(wh_msg, self._webhook_message)
        r.add_patch(wh_msg, self._webhook_message)
        r.add_delete(wh_msg, self._webhook_message)
        r.add_get(f"{p}/channels/{{channel_id}}", self._get_channel)
        r.add_post(f"{p}/channels/{{channel_id}}/typing", self._no_content)
        r.add_post(f"{p}/channels/{{channel_id}}/messages", self._create_message)
        msg = f"{p}/channels/{{channel_id}}/messages/{{message_id}}"
        r.add_get(msg, self._channel_message)
        r.add_patch(msg, self._channel_message)
        r.add_delete(msg, self._channel_message)
        reaction = f"{msg}/reactions/{{emoji}}/@me"
        r.add_put(reaction, self._reaction)
        r.add_delete(reaction, self._reaction)
        r.add_get(f"{p}/guilds/{{guild_id}}", self._get_guild)
        r.add_get(f"{p}/guilds/{{guild_id}}/members/{{user_id}}", self._get_member)
        r.add_route("*", "/{tail:.*}", self._unknown)
