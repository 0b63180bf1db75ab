"""Caption files: WebVTT, SRT, plain text and JSON written from cues, and WebVTT / SRT read back.

Kept apart from cue building because these are the files users download, edit and upload as corrections:
writers and parsers round-trip exactly (whole-millisecond times, WebVTT text escaped), and a file that
cannot be read fails with one line the user can act on.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from bot.core.captions.cues import Cue, ends_sentence, to_ms


class CaptionFormatError(ValueError):
    """A captions file that cannot be read; the message is one line a user can act on."""


# --- writing ---------------------------------------------------------------------------------------------


def _format_timestamp(ms: int, separator: str) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


def _cue_lines(cue: Cue) -> list[str]:
    """The cue's non-empty lines with whitespace collapsed: a blank line would end the cue in a file."""
    return [" ".join(line.split()) for line in cue.text.split("\n") if line.split()]


def _cue_times(cue: Cue) -> tuple[int, int]:
    start = to_ms(cue.start, 0)
    return start, max(to_ms(cue.end, start), start)


def _timed_blocks(cues: Iterable[Cue], separator: str, escape: bool) -> list[str]:
    blocks = []
    for cue in cues:
        lines = _cue_lines(cue)
        if not lines:
            continue
        start, end = _cue_times(cue)
        if escape:
            lines = [html.escape(line, quote=False) for line in lines]
        timing = f"{_format_timestamp(start, separator)} --> {_format_timestamp(end, separator)}"
        blocks.append("\n".join([timing, *lines]))
    return blocks


def to_vtt(cues: Iterable[Cue]) -> str:
    """WebVTT; text is escaped (&, <, >) so that caption text can never be read back as markup."""
    blocks = _timed_blocks(cues, ".", escape=True)
    return "WEBVTT\n\n" + "".join(block + "\n\n" for block in blocks)


def to_srt(cues: Iterable[Cue]) -> str:
    blocks = _timed_blocks(cues, ",", escape=False)
    return "".join(f"{number}\n{block}\n\n" for number, block in enumerate(blocks, 1))


_PARAGRAPH_PAUSE = 2.0  # seconds of silence after a sentence that start a new paragraph
_PARAGRAPH_CHARS = 600  # a long paragraph is broken at the next sentence end so it stays readable


def to_text(cues: Iterable[Cue]) -> str:
    """Plain reading text: cue lines run together, paragraphs only at sentence ends (pause or length)."""
    paragraphs: list[list[str]] = []
    length, previous_end = 0, 0.0
    for cue in cues:
        text = " ".join(cue.text.split())
        if not text:
            continue
        if paragraphs and ends_sentence(paragraphs[-1][-1].rsplit(" ", 1)[-1]):
            long_pause = cue.start - previous_end >= _PARAGRAPH_PAUSE
            if long_pause or length >= _PARAGRAPH_CHARS:
                paragraphs.append([])
                length = 0
        if not paragraphs:
            paragraphs.append([])
        paragraphs[-1].append(text)
        length += len(text) + 1
        previous_end = cue.end
    return "\n\n".join(" ".join(p) for p in paragraphs)


def to_json_cues(cues: Iterable[Cue]) -> list[dict[str, Any]]:
    result = []
    for cue in cues:
        start, end = _cue_times(cue)
        result.append({"start": start / 1000, "end": end / 1000, "text": " ".join(cue.text.split())})
    return result


def format_captions(cues: Iterable[Cue], fmt: str) -> str:
    """Captions as "vtt", "srt", "txt" or "json" (a JSON object {"cues": [...]})."""
    fmt = fmt.lower().lstrip(".")
    if fmt == "vtt":
        return to_vtt(cues)
    if fmt == "srt":
        return to_srt(cues)
    if fmt == "txt":
        return to_text(cues)
    if fmt == "json":
        return json.dumps({"cues": to_json_cues(cues)}, ensure_ascii=False)
    raise ValueError(f"unknown caption format {fmt!r}: use vtt, srt, txt or json")


# --- reading ---------------------------------------------------------------------------------------------

_TIMESTAMP = re.compile(r"(?:([0-9]{1,9}):)?([0-9]{2}):([0-9]{2})[.,]([0-9]{3})")
_ANY_TAG = re.compile(r"<[^<>\n]*>")
_SRT_TAG = re.compile(r"</?(?:i|b|u|s|c|v|font|span|ruby|rt|lang)\b[^<>\n]*>|<[0-9][0-9:.]*>", re.IGNORECASE)
_ASS_OVERRIDE = re.compile(r"\{\\[^{}\n]*\}")
_SRT_NUMBER = re.compile(r"[0-9]+")
_WEBVTT_HEADER = re.compile(r"WEBVTT(?:[ \t].*)?")
_SKIPPED_VTT_BLOCKS = ("NOTE", "STYLE", "REGION")

_Line = tuple[int, str]  # (1-based line number, text)


def _blocks(text: str) -> list[list[_Line]]:
    """Blank-line separated blocks of numbered, right-stripped lines (BOM and CR/CRLF tolerated)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    blocks: list[list[_Line]] = []
    current: list[_Line] = []
    for number, line in enumerate(text.split("\n"), 1):
        if line.strip():
            current.append((number, line.rstrip()))
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _shown(token: str) -> str:
    token = "".join(ch if ch.isprintable() else "?" for ch in token)
    return token if len(token) <= 40 else token[:40] + "…"


def _parse_timestamp(token: str, number: int, expected: str) -> int:
    match = _TIMESTAMP.fullmatch(token)
    if not match or int(match[2]) >= 60 or int(match[3]) >= 60:
        raise CaptionFormatError(f'line {number}: bad timestamp "{_shown(token)}" (expected {expected})')
    hours, minutes, seconds, millis = (int(g or 0) for g in match.groups())
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis


def _parse_timing(line: _Line, expected: str) -> tuple[int, int]:
    """Start and end of a "start --> end [settings]" line; settings (align:start ...) are ignored."""
    number, text = line
    left, _, right = text.partition("-->")
    start_token = left.strip()
    end_token = right.split()[0] if right.split() else ""
    start = _parse_timestamp(start_token, number, expected)
    end = _parse_timestamp(end_token, number, expected)
    if end < start:
        raise CaptionFormatError(
            f"line {number}: the cue ends ({end_token}) before it starts ({start_token})"
        )
    return start, end


def _missing_timing(number: int, example: str) -> CaptionFormatError:
    return CaptionFormatError(f'line {number}: expected a cue timing line like "{example}"')


def _cue_text(lines: list[_Line], strip_markup: Callable[[str], str]) -> str:
    cleaned = (" ".join(strip_markup(text).split()) for _, text in lines)
    return "\n".join(line for line in cleaned if line)


def _vtt_markup(text: str) -> str:
    return html.unescape(_ANY_TAG.sub("", text))


def _srt_markup(text: str) -> str:
    return _ASS_OVERRIDE.sub("", _SRT_TAG.sub("", text))


def _finished(cues: list[Cue]) -> list[Cue]:
    if not cues:
        raise CaptionFormatError("no cues found: the file has no timed caption text")
    return sorted(cues, key=lambda cue: cue.start)


def _is_vtt_skipped(first_line: str) -> bool:
    return any(re.fullmatch(f"{kind}(?:[ \t].*)?", first_line) for kind in _SKIPPED_VTT_BLOCKS)


def parse_vtt(text: str) -> list[Cue]:
    """WebVTT cues; identifiers, settings, NOTE/STYLE/REGION blocks and markup are dropped."""
    blocks = _blocks(text)
    if not blocks or not _WEBVTT_HEADER.fullmatch(blocks[0][0][1]):
        number = blocks[0][0][0] if blocks else 1
        raise CaptionFormatError(f'line {number}: a WebVTT file must start with "WEBVTT"')
    header = blocks.pop(0)
    timed = [k for k, (_, line) in enumerate(header) if "-->" in line]
    if timed:  # no blank line after the header: the cue starts inside the header block
        blocks.insert(0, header[timed[0] :])
    cues = []
    for block in blocks:
        if _is_vtt_skipped(block[0][1]):
            continue
        timing_at = 0 if "-->" in block[0][1] else 1
        if timing_at >= len(block) or "-->" not in block[timing_at][1]:
            raise _missing_timing(block[min(timing_at, len(block) - 1)][0], "00:00:01.000 --> 00:00:04.000")
        start, end = _parse_timing(block[timing_at], "HH:MM:SS.mmm")
        cue_text = _cue_text(block[timing_at + 1 :], _vtt_markup)
        if cue_text:
            cues.append(Cue(start / 1000, end / 1000, cue_text))
    return _finished(cues)


def parse_srt(text: str) -> list[Cue]:
    """SubRip cues; the cue numbers are not checked, simple <i>/<b>/<font> and {\\an8} markup is dropped."""
    cues = []
    for block in _blocks(text):
        timing_at = 0 if "-->" in block[0][1] else 1
        if timing_at == 1 and not _SRT_NUMBER.fullmatch(block[0][1].strip()):
            raise _missing_timing(block[0][0], "00:00:01,000 --> 00:00:04,000")
        if timing_at >= len(block) or "-->" not in block[timing_at][1]:
            raise _missing_timing(block[min(timing_at, len(block) - 1)][0], "00:00:01,000 --> 00:00:04,000")
        start, end = _parse_timing(block[timing_at], "HH:MM:SS,mmm")
        cue_text = _cue_text(block[timing_at + 1 :], _srt_markup)
        if cue_text:
            cues.append(Cue(start / 1000, end / 1000, cue_text))
    return _finished(cues)


def parse_captions(text: str) -> list[Cue]:
    """Read a WebVTT or SRT file, telling them apart by the "WEBVTT" header."""
    blocks = _blocks(text)
    if not blocks:
        raise CaptionFormatError("the captions file is empty")
    number, first = blocks[0][0]
    if _WEBVTT_HEADER.fullmatch(first):
        return parse_vtt(text)
    if _SRT_NUMBER.fullmatch(first.strip()) or "-->" in first:
        return parse_srt(text)
    raise CaptionFormatError(f'line {number}: not a WebVTT or SRT file (expected "WEBVTT" or a cue number)')
