"""The caption service: what the Discord front end and the CLI call, above the core.

It turns a request (a link, an attachment, a correction, a vocabulary change) into core calls and store rows;
the Discord layer never reaches the store except through it.
"""

from bot.service.service import CaptionResult, CaptionService, CorrectionResult

__all__ = ["CaptionResult", "CaptionService", "CorrectionResult"]
