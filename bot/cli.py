"""Command line: caption, correct, vocab, retention, setup, run. The contract the demo, tests and benchmarks rely on.

A problem the user can fix prints one line on stderr and exits 2; an unexpected failure prints one line
pointing at the log file (which has the traceback) and exits 1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from pathlib import Path

from bot.core.captions.formats import format_captions, to_json_cues
from bot.core.cli_options import add_config_option, add_config_to_subcommands
from bot.core.config import LOCAL_GUILD, Config, load_config
from bot.core.errors import UserError, run_command_line
from bot.core.private import make_private, warn_if_token_readable
from bot.service import CaptionService
from bot.service.readiness import local_findings, media_tools
from bot.service.retention import apply_retention, remove_orphan_audio

FORMATS = ("vtt", "srt", "txt", "json")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="Caption media and learn from corrections."
    )
    add_config_option(parser)
    commands = parser.add_subparsers(dest="command", required=True)

    caption = commands.add_parser("caption", help="caption a media file or a link")
    caption.add_argument("source", help="a media file path or a link (hosts from media.allowed_hosts)")
    caption.add_argument("--guild", type=int, default=LOCAL_GUILD, help="guild id (default: the local guild)")
    caption.add_argument("--format", choices=FORMATS, default="vtt")
    caption.add_argument("--language", help="language code, or 'auto' (default: model.language)")
    caption.add_argument("-o", "--output", help="write the captions here instead of standard output")

    correct = commands.add_parser("correct", help="store a correction of a caption and its training pairs")
    correct.add_argument("caption_id", type=int)
    what = correct.add_mutually_exclusive_group(required=True)
    what.add_argument("--text", help="the corrected full text")
    what.add_argument("--vtt", help="an edited .vtt or .srt file")
    correct.add_argument("--guild", type=int, default=LOCAL_GUILD)
    correct.add_argument("--user", type=int, default=None, help="who corrected it (a user id)")

    vocab = commands.add_parser(
        "vocab",
        help="the guild's approved vocabulary (hints for the base model, scored terms after a retrain)",
    )
    vocab.add_argument("action", choices=("add", "remove", "list"))
    vocab.add_argument("terms", nargs="*")
    vocab.add_argument("--guild", type=int, default=LOCAL_GUILD)

    commands.add_parser("retention", help="delete stored audio older than storage.retention_days now")
    commands.add_parser(
        "setup",
        help="check ffmpeg, the model, data_dir, the database, the token and the Message Content intent; "
        "print the invite URL",
    )
    commands.add_parser("run", help="start the Discord bot (needs discord.token or DISCORD_TOKEN)")
    add_config_to_subcommands(commands)
    return parser


async def cmd_caption(service: CaptionService, args: argparse.Namespace) -> str:
    source = args.source
    result = await service.caption(args.guild, source, language=args.language)
    if not result.cues:
        print("note: no speech was found in this media; the captions are empty", file=sys.stderr)
    if args.format == "json":
        return json.dumps(
            {
                "caption_id": result.caption_id,
                "media_id": result.media_id,
                "model_version": result.model_version,
                "language": result.language,
                "duration": round(result.duration, 3),
                "hint": result.hint,
                "cues": to_json_cues(result.cues),
                "text": result.text,
            },
            ensure_ascii=False,
        )
    return format_captions(result.cues, args.format)


async def cmd_correct(service: CaptionService, args: argparse.Namespace) -> str:
    if args.vtt is not None:
        path = Path(args.vtt)
        try:
            content = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise UserError(f"{path} does not exist") from None
        except (OSError, UnicodeDecodeError):
            raise UserError(f"{path} is not a readable text file (expected .vtt or .srt)") from None
        result = await service.correct(args.guild, args.caption_id, user_id=args.user, captions_file=content)
    else:
        result = await service.correct(args.guild, args.caption_id, user_id=args.user, text=args.text)
    line = (
        f"correction {result.correction_id} saved: {result.pairs} training pairs "
        f"({result.total_pairs} in this guild)"
    )
    if result.proposed_terms:
        line += f"; proposed vocabulary: {', '.join(result.proposed_terms)}"
    return " ".join([line, *result.notes])


async def cmd_vocab(service: CaptionService, args: argparse.Namespace) -> str:
    if args.action == "list":
        return "\n".join(await service.store.vocabulary(args.guild))
    if args.action == "add":
        added = await service.add_vocabulary(args.guild, args.terms)
        return f"added {len(added)} term(s)" + (f": {', '.join(added)}" if added else " (already present)")
    removed = await service.remove_vocabulary(args.guild, args.terms)
    return f"removed {len(removed)} term(s)" + (
        f": {', '.join(removed)}" if removed else " (none were present)"
    )


async def cmd_retention(service: CaptionService, args: argparse.Namespace) -> str:
    days = service.config.storage.retention_days
    orphans = await remove_orphan_audio(service.store, service.config.data_dir)
    unreferenced = f"{orphans} audio file(s) no recording refers to"
    if days <= 0:
        return f"storage.retention_days is 0: audio is kept forever; deleted only {unreferenced}"
    removed = await apply_retention(service.store, service.config.data_dir, days)
    return f"deleted {removed} audio file(s) older than {days} days and {unreferenced}"


HANDLERS = {"caption": cmd_caption, "correct": cmd_correct, "vocab": cmd_vocab, "retention": cmd_retention}


async def run_command(config: Config, args: argparse.Namespace) -> str:
    service = await CaptionService.open(config)
    try:
        return await HANDLERS[args.command](service, args)
    finally:
        await service.close()


async def setup_report(config: Config) -> tuple[list[str], bool]:
    """`python -m bot setup`: every finding as a line, the invite after them; and whether all were ok."""
    from bot.discord_app.setup_check import discord_findings  # discord.py only where Discord is asked

    found = await local_findings(config)
    remote, invite = await discord_findings(config)
    found += remote
    lines = [f.line() for f in found]
    ok = all(f.ok for f in found)
    lines += ["", *invite] if invite else []
    problems = sum(not f.ok for f in found)
    lines.append(
        "ready: invite the bot with the URL above, then start it with: python -m bot run (or make run)"
        if ok
        else f"{problems} problem(s) to fix (the FIX lines), then run python -m bot setup again"
    )
    return lines, ok


def run_setup(config: Config) -> int:
    lines, ok = asyncio.run(setup_report(config))
    print("\n".join(lines))
    return 0 if ok else 2


def run_bot(config: Config) -> None:
    if not config.discord_token:
        raise UserError(
            f"no Discord bot token: set [discord] token in {config.source if config.source.endswith('.toml') else 'config.toml'}"
            " or the DISCORD_TOKEN environment variable (create one in the Developer Portal > your app > Bot;"
            " python -m bot setup checks it)"
        )
    tools = media_tools()  # at start, not at the first caption
    if not tools.ok:
        raise UserError(tools.text)
    from bot.discord_app.client import run

    run(config)


def write_output(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")
        return
    path = Path(output)
    tmp = path.with_name(path.name + ".part")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror}") from None


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Like parse_args, but vocabulary terms may also follow options (`vocab add --guild 5 LoRA`)."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command == "vocab" and not any(e.startswith("-") for e in extra):
        args.terms = [*args.terms, *extra]
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    config: Config | None = None

    def body() -> int:
        nonlocal config
        config = load_config(args.config)
        make_private(config.data_dir)
        warn_if_token_readable(config)
        if args.command == "setup":
            return run_setup(config)
        if args.command == "run":
            run_bot(config)
            return 0
        output = asyncio.run(run_command(config, args))
        write_output(output, getattr(args, "output", None))
        return 0

    return run_command_line(
        body, lambda: (config.data_dir if config else Path("data")) / "logs", "cli-errors.log"
    )
