"""The captioning core that both processes share: media, captions, transcription, the store and config.

Nothing under bot/core imports discord.py (the trainer imports it and stays free of Discord) or torch (the bot
imports it and stays free of the training stack). tests/test_boundaries.py checks both.
"""
