"""The command line on real speech: caption, correct, vocab, and one clear line for every bad input."""

from __future__ import annotations

import functools
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.core.captions.alignment import normalize_words
from bot.core.captions.formats import parse_vtt
from tests.cli_runner import run_cli
from tests.speech import wer_plain_words

ROOT = Path(__file__).resolve().parents[1]
SENTENCE = "The weather is lovely today, so we will walk to the market by the river."


cli = functools.partial(run_cli, "bot")


def one_line_error(result: subprocess.CompletedProcess, expected: str) -> None:
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("error: ")
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def rows(data_dir: Path, table: str) -> int:
    db = sqlite3.connect(data_dir / "captions.db")
    try:
        return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    finally:
        db.close()


@pytest.fixture
def captioned(config_file, make_speech):
    """One sentence captioned through the CLI as JSON."""
    result = cli(config_file, "caption", str(make_speech(SENTENCE)), "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_caption_json_has_the_spoken_words(captioned):
    assert captioned["model_version"] == "base"
    assert isinstance(captioned["caption_id"], int)
    heard = " ".join(c["text"] for c in captioned["cues"])
    assert wer_plain_words(SENTENCE, heard) < 0.25, heard
    for word in ("weather", "market", "river"):
        assert word in heard.lower()
    starts = [c["start"] for c in captioned["cues"]]
    assert starts == sorted(starts) and all(c["end"] > c["start"] for c in captioned["cues"])


def test_caption_writes_valid_vtt_and_srt_files(config_file, make_speech, tmp_path):
    audio = make_speech(SENTENCE)
    vtt_file = tmp_path / "out.vtt"
    assert cli(config_file, "caption", str(audio), "-o", str(vtt_file)).returncode == 0
    cues = parse_vtt(vtt_file.read_text(encoding="utf-8"))
    assert wer_plain_words(SENTENCE, " ".join(c.text for c in cues)) < 0.25
    assert all(len(line) <= 42 for c in cues for line in c.text.splitlines())
    srt = cli(config_file, "caption", str(audio), "--format", "srt").stdout
    assert srt.startswith("1\n00:00:00,")


def test_a_link_on_an_allowed_host_is_captioned(config_file, make_speech, media_server):
    url = media_server.publish(make_speech(SENTENCE, suffix=".ogg"), "cli-clip.ogg")
    result = cli(config_file, "caption", url, "--format", "txt")
    assert result.returncode == 0, result.stderr
    # Opus at 32 kbit/s costs a word or two
    assert wer_plain_words(SENTENCE, result.stdout) < 0.35, result.stdout
    assert {"lovely", "today", "market"} <= set(normalize_words(result.stdout)), result.stdout


def test_correction_text_becomes_training_pairs(config_file, data_dir, captioned):
    fixed = "The weather is lovely today, so we will walk to the Zorblax market by the river."
    result = cli(config_file, "correct", str(captioned["caption_id"]), "--text", fixed, "--user", "7")
    assert result.returncode == 0, result.stderr
    assert "training pairs" in result.stdout and "Zorblax" in result.stdout
    db = sqlite3.connect(data_dir / "captions.db")
    pairs = db.execute('SELECT start, "end", text FROM training_pairs').fetchall()
    db.close()
    assert pairs and all(end - start <= 30.0 for start, end, _ in pairs)
    assert "Zorblax market" in " ".join(text for _, _, text in pairs)
    vocab = cli(config_file, "vocab", "list").stdout.split()
    assert "Zorblax" not in vocab  # proposed: it waits for a moderator's review before it is used


def test_correction_with_an_edited_vtt(config_file, data_dir, captioned, tmp_path):
    end = captioned["cues"][-1]["end"]
    edited = tmp_path / "edited.vtt"
    edited.write_text(f"WEBVTT\n\n00:00:00.000 --> 00:00:{end:06.3f}\n{SENTENCE}\n", encoding="utf-8")
    result = cli(config_file, "correct", str(captioned["caption_id"]), "--vtt", str(edited))
    assert result.returncode == 0, result.stderr
    assert rows(data_dir, "training_pairs") == 1


def test_vocab_add_remove_list_per_guild(config_file):
    assert cli(config_file, "vocab", "add", "--guild", "5", "LoRA", "Kubernetes").returncode == 0
    assert cli(config_file, "vocab", "list", "--guild", "5").stdout.split() == ["Kubernetes", "LoRA"]
    assert cli(config_file, "vocab", "list", "--guild", "6").stdout.strip() == ""
    assert "removed 1" in cli(config_file, "vocab", "remove", "--guild", "5", "lora").stdout
    one_line_error(cli(config_file, "vocab", "add", "--guild", "5"), "at least one term")


def test_bad_inputs_give_one_line_and_write_nothing(config_file, data_dir, captioned, tmp_path, make_speech):
    caption_id = str(captioned["caption_id"])
    not_audio = tmp_path / "notes.ogg"
    not_audio.write_text("hello " * 50)
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    bad_vtt = tmp_path / "bad.vtt"
    bad_vtt.write_text("WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nbackwards\n", encoding="utf-8")
    late_vtt = tmp_path / "late.vtt"
    late_vtt.write_text("WEBVTT\n\n00:10:00.000 --> 00:10:02.000\ntoo late\n", encoding="utf-8")
    before = {t: rows(data_dir, t) for t in ("media", "captions", "corrections", "training_pairs")}
    cases = [
        (("caption", str(tmp_path / "missing.wav")), "does not exist"),
        (("caption", str(not_audio)), "not an audio or video file"),
        (("caption", str(empty)), "empty"),
        (("caption", "https://example.com/video"), "not allowed"),
        (("caption", "file:///etc/passwd"), "only http and https"),
        (("caption", "http://127.0.0.1:9/gone.mp4"), "could not be downloaded"),
        (("correct", "999", "--text", "hello"), "caption 999 does not exist"),
        (("correct", caption_id, "--guild", "77", "--text", "hello"), "does not exist in this server"),
        (("correct", caption_id, "--text", "   "), "empty"),
        (("correct", caption_id, "--text", "x" * 100_000), "the limit is 20000"),
        (("correct", caption_id, "--vtt", str(bad_vtt)), "not valid"),
        (("correct", caption_id, "--vtt", str(late_vtt)), "the audio is"),
        (("correct", caption_id, "--vtt", str(tmp_path / "nope.vtt")), "does not exist"),
    ]
    for args, expected in cases:
        one_line_error(cli(config_file, *args), expected)
    after = {t: rows(data_dir, t) for t in before}
    assert after == before


def test_a_database_from_a_newer_version_is_refused(config_file, data_dir):
    data_dir.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(data_dir / "captions.db")
    db.execute("PRAGMA user_version = 999")
    db.close()
    one_line_error(cli(config_file, "vocab", "list"), "newer than this program")


def test_run_without_a_token_says_what_is_missing(config_file, monkeypatch):
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    one_line_error(cli(config_file, "run"), "no Discord bot token")


def run_module(module: str, *args: str) -> subprocess.CompletedProcess:
    """Run `python -m MODULE ARGS` exactly as typed, with no --config put in front."""
    return subprocess.run(
        [sys.executable, "-m", module, *args], capture_output=True, text=True, cwd=ROOT, timeout=300
    )


def test_config_is_accepted_after_the_subcommand(config_file, data_dir, monkeypatch):
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    added = run_module("bot", "vocab", "add", "--guild", "5", "Zorblax", "--config", str(config_file))
    assert added.returncode == 0, added.stderr
    assert (data_dir / "captions.db").exists()  # the data dir named in that config, not ./data
    listed = run_module("bot", "vocab", "list", "--config", str(config_file), "--guild", "5")
    assert listed.stdout.split() == ["Zorblax"]
    # before and after the subcommand both work; the one after the subcommand is used when both are given
    both = run_module(
        "bot", "--config", "/nonexistent.toml", "vocab", "list", "--guild", "5", "--config", str(config_file)
    )
    assert both.stdout.split() == ["Zorblax"], both.stderr
    # `run` reads the token from that config: the one-line error names the file
    one_line_error(run_module("bot", "run", "--config", str(config_file)), str(config_file))
    worker = run_module("trainer", "worker", "--config", str(config_file), "--idle-exit", "0")
    assert worker.returncode == 0, worker.stderr
    assert (data_dir / "logs" / "trainer.log").exists()
