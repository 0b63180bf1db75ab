"""The Discord front end: discord.py application commands and events on top of the captioning core.

Everything that talks to Discord lives in this package; the logic it uses (the captioning service, the
store, caption formats) lives outside it and never imports discord.py. `client.run(config)` starts the bot.
"""
