"""Command line of the trainer process: worker, run (one job in the foreground), import-ct2.

Like the bot's CLI: a problem the user can fix is one line on stderr and exit 2, a bug is one line pointing
at the log and exit 1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from pathlib import Path

from bot.core.cli_options import add_config_option, add_config_to_subcommands
from bot.core.config import LOCAL_GUILD, Config, load_config
from bot.core.errors import UserError, run_command_line
from bot.core.private import make_private
from bot.core.retrain.report import retrain_summary
from bot.core.retrain.result import RetrainResult
from bot.core.store import JobRow, JobStatus, Store
from bot.core.store.paths import located


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m trainer", description="Fine-tune a guild's Whisper model."
    )
    add_config_option(parser)
    commands = parser.add_subparsers(dest="command", required=True)
    worker = commands.add_parser("worker", help="run queued retrain jobs until idle")
    worker.add_argument("--idle-exit", type=float, default=30.0, help="stop after this many idle seconds")
    run = commands.add_parser("run", help="retrain one guild now, in the foreground")
    run.add_argument("--guild", type=int, default=LOCAL_GUILD)
    run.add_argument("--json", action="store_true", help="print the job's result as JSON")
    run.add_argument(
        "--push-to-hub",
        metavar="REPO_ID",
        help="after a promotion, upload the version folder (adapter, model, card) to this private hub repo",
    )
    imp = commands.add_parser("import-ct2", help="rebuild a Hugging Face Whisper from a CTranslate2 model")
    imp.add_argument("ct2_dir", type=Path)
    imp.add_argument("out_dir", type=Path)
    add_config_to_subcommands(commands)
    return parser


def push_to_hub(config: Config, result: RetrainResult, repo_id: str) -> str:
    """Optional: share the promoted version on the Hugging Face hub (needs a login; never used in tests)."""
    from huggingface_hub import HfApi

    if result.curve_png is None:
        raise UserError("only a promoted version can be pushed")
    folder = located(config.data_dir, result.curve_png).parent
    try:
        api = HfApi()
        api.create_repo(repo_id, private=True, exist_ok=True)
        api.upload_folder(folder_path=str(folder), repo_id=repo_id)
    except Exception as exc:  # network, authentication: the model stays promoted locally either way
        raise UserError(f"the model was promoted here but could not be pushed to {repo_id}: {exc}") from None
    return f"pushed {folder.name} to {repo_id}"


async def run_now(config: Config, guild_id: int) -> JobRow:
    """Create the guild's job already claimed by this process and run it here."""
    from trainer.worker import recover, remove_leftovers, run_job, worker_lock

    store = await Store.open(config.database)
    try:
        await recover(config, store)
        with worker_lock(config.data_dir) as mine:
            if mine:  # else a worker runs: it cleaned up when it started, and its job's folder is live
                await remove_leftovers(config, store)
        job_id = await store.enqueue_job(guild_id, requested_by=None, running_pid=os.getpid())
        return await run_job(config, store, await store.get_job(guild_id, job_id))
    finally:
        await store.close()


def report(job: JobRow, as_json: bool) -> tuple[int, str]:
    if as_json:
        payload = {"job_id": job.id, "status": job.status, "message": job.message, "result": job.result}
        return (0 if job.status == JobStatus.SUCCEEDED else 2), json.dumps(payload)
    if job.status != JobStatus.SUCCEEDED:
        raise UserError(f"retrain failed: {job.message}")
    assert job.result is not None  # a job succeeds only with its result recorded
    return 0, retrain_summary(RetrainResult.from_json(job.result))


def import_ct2_command(ct2_dir: Path, out_dir: Path) -> str:
    from trainer.ct2_import import import_ct2

    if not (ct2_dir / "model.bin").exists():
        raise UserError(f"{ct2_dir} has no model.bin; give a CTranslate2 Whisper model folder")
    if out_dir.exists():
        raise UserError(f"{out_dir} already exists; choose a new folder")
    try:
        import_ct2(ct2_dir, out_dir)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    return f"imported {ct2_dir} as a Hugging Face model in {out_dir}"


def setup_logging(config: Config, *, to_stderr: bool) -> None:
    """Details (tracebacks included) go to data/logs/trainer.log; the terminal gets one line per problem."""
    log_dir = config.data_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    handlers: list[logging.Handler] = [logging.FileHandler(log_dir / "trainer.log", encoding="utf-8")]
    if to_stderr:
        handlers.append(logging.StreamHandler())
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        handlers=handlers,
        force=True,
    )
    for noisy in ("httpx", "urllib3", "faster_whisper", "matplotlib", "PIL"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    config: Config | None = None

    def body() -> int:
        nonlocal config
        config = load_config(args.config)
        make_private(config.data_dir)
        setup_logging(config, to_stderr=args.command == "worker")
        if args.command == "worker":
            from trainer.worker import work

            asyncio.run(work(config, idle_exit=args.idle_exit))
            return 0
        if args.command == "import-ct2":
            print(import_ct2_command(args.ct2_dir, args.out_dir))
            return 0
        job = asyncio.run(run_now(config, args.guild))
        code, text = report(job, args.json)
        print(text)
        result = RetrainResult.from_json(job.result) if job.result else None
        if args.push_to_hub and result is not None and result.promoted:
            print(
                push_to_hub(config, result, args.push_to_hub),
                file=sys.stderr if args.json else sys.stdout,
            )
        return code

    return run_command_line(
        body, lambda: (config.data_dir if config else Path("data")) / "logs", "trainer-errors.log"
    )
