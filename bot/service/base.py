"""What every part of the caption service holds: the config, the store, the transcription engine.

`CaptionService` (bot/service/service.py) is its parts at once, one class per responsibility in its own module:
captioning (media in, captions out), corrections (what users fix, and the training pairs made of it),
guild_settings (vocabulary and the server's settings) and retraining (the job queue and the model versions).
Why one object of several classes rather than several objects: both front ends hold one `service` and call
`service.caption(...)`, `service.correct(...)`, `service.vocabulary(...)`; the split keeps each file to one
responsibility without changing a call. The Discord layer reaches the store only through these methods
(tests/test_boundaries.py checks it), so every query it needs is a method here, however thin.
"""

from __future__ import annotations

from bot.core.config import Config
from bot.core.store import Store
from bot.core.transcription.engine import Engine
from bot.service.moderation import Moderation


class ServiceBase:
    """The state the service's parts share; each part adds methods, none adds state."""

    def __init__(self, config: Config, store: Store, engine: Engine) -> None:
        self.config = config
        self.store = store
        self.engine = engine
        self.moderation = Moderation(config, store)
