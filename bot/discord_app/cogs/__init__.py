"""One cog per feature, each a discord.py extension (`setup(bot)`), loaded by CaptionBot.setup_hook."""
