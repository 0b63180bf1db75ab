"""`make demo`: the whole loop offline, through the real command line.

Caption a clip full of a community's words (the base model misspells them), a moderator approves the words (the
base then gets them as a glossary prompt), 24 captions are corrected as users would, a retrain decides whether
a fine-tuned model beats that free option without losing real speech, then clips it never heard are captioned.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.scenario import EXTRA_TRAINING_SENTENCES, HELD_OUT_SENTENCES, TERMS, TRAINING_SENTENCES, spoken

ROOT = Path(__file__).resolve().parents[1]

DEMO_DIR = ROOT / "data" / "demo"
CONFIG = DEMO_DIR / "config.toml"


def cli(*args: str, show: bool = False) -> str:
    command = [sys.executable, "-m", args[0], "--config", str(CONFIG), *args[1:]]
    if show:
        print(
            "$ python -m " + " ".join(a if " " not in a else repr(a) for a in (args[0], *args[1:])),
            flush=True,
        )
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        sys.exit(f"demo step failed: {' '.join(args)}\n{result.stderr.strip()}")
    return result.stdout


def caption_json(path: Path) -> dict:
    return json.loads(cli("bot", "caption", str(path), "--format", "json"))


def main() -> None:
    started = time.monotonic()
    shutil.rmtree(DEMO_DIR, ignore_errors=True)
    DEMO_DIR.mkdir(parents=True)
    CONFIG.write_text(f'[storage]\ndata_dir = "{DEMO_DIR / "data"}"\n', encoding="utf-8")
    print(f"The community's words: {', '.join(TERMS)}\n")
    train = spoken(TRAINING_SENTENCES + EXTRA_TRAINING_SENTENCES[:8], DEMO_DIR / "clips", "train")
    held_out = spoken(HELD_OUT_SENTENCES, DEMO_DIR / "clips", "heldout")

    print("1. Caption a voice note with the base model (Whisper tiny.en, bundled, offline):")
    print(cli("bot", "caption", str(held_out.paths[0]), show=True))
    print("   A moderator approves the words; the base now gets them as a glossary prompt:")
    print(cli("bot", "vocab", "add", *TERMS, show=True).rstrip())
    print(cli("bot", "caption", str(held_out.paths[0]), show=True))
    print("2. Users correct the captions of", len(train.paths), "voice notes, one reply each:")
    for index, (path, text) in enumerate(zip(train.paths, train.texts, strict=True)):
        caption = caption_json(path)
        line = cli(
            "bot", "correct", str(caption["caption_id"]), "--text", text, "--user", "42", show=index == 0
        )
        if index == 0:
            print(f"  heard: {caption['text']}\n  fixed: {text}\n  {line.strip()}")
    print(f"  ... {len(train.paths)} corrections stored.\n")
    print("3. A moderator retrains (a LoRA fine-tune must beat the glossary and keep real speech):")
    print(cli("trainer", "run", show=True))
    print("4. Caption voice notes the model never heard:")
    for path, text in zip(held_out.paths, held_out.texts, strict=True):
        caption = caption_json(path)
        print(f"  said:  {text}\n  heard: {caption['text']}   [{caption['model_version']}]")
    print(f"\nDemo finished in {time.monotonic() - started:.0f} s. Data and the model are in {DEMO_DIR}.")


if __name__ == "__main__":
    main()
