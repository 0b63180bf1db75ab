"""Captions as data: timed cues, WebVTT/SRT, aligning a correction to cues, and the server's spelling rules."""
