"""Settings: the example file documents exactly the defaults, and every wrong value is one clear line."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from bot.core.config import Config, config_from_dict, load_config
from bot.core.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]


def test_example_file_documents_every_default():
    example = load_config(ROOT / "config.example.toml")
    defaults = Config()
    for section in dataclasses.fields(Config):
        if section.name != "source":
            assert getattr(example, section.name) == getattr(defaults, section.name), section.name


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"media": {"max_size_mb": "big"}}, "[media] max_size_mb must be a number"),
        ({"media": {"max_duration_seconds": -5}}, "[media] max_duration_seconds must be greater than 0"),
        ({"model": {"hint": "sometimes"}}, "[model] hint must be one of"),
        ({"training": {"merge_scales": [0.5, "x"]}}, "[training] merge_scales must be a list of numbers"),
        ({"training": {"merge_scales": [2.0]}}, "[training] merge_scales must be numbers above 0"),
        ({"training": {"candidate_hints": ["loud"]}}, "[training] candidate_hints must list one or more"),
        ({"training": {"folds": 1}}, "[training] folds must be 2 or more"),
        ({"training": {"device": "tpu"}}, "[training] device must be one of 'auto', 'cpu', 'cuda'"),
        ({"model": {"vad": "yes"}}, "[model] vad must be true or false"),
        ({"training": {"epochs": 2.5}}, "[training] epochs must be a whole number"),
        ({"training": {"warmup_fraction": 1.5}}, "warmup_fraction must be between 0 and 1"),
        ({"media": {"allowed_hosts": "youtube.com"}}, "allowed_hosts must be a list of strings"),
        ({"media": {"max_size": 3}}, "[media] unknown key 'max_size'"),
        (
            {"discord": {"shards": 0}},
            '[discord] shards must be "auto" or a whole number of 1 or more (got 0)',
        ),
        ({"discord": {"shards": "two"}}, '[discord] shards must be "auto" or a whole number of 1 or more'),
        ({"discord": {"shards": 2.5}}, "[discord] shards must be a whole number or a string (got 2.5)"),
        ({"discord": {"shards": True}}, "[discord] shards must be a whole number or a string (got True)"),
        ({"medias": {}}, "unknown section [medias]"),
        (
            {"storage": {"database": "mysql://db/captions"}},
            "[storage] database must be a SQLite file path or",
        ),
    ],
)
def test_wrong_values_name_the_key(raw, expected):
    with pytest.raises(ConfigError) as err:
        config_from_dict(raw, source="config.toml")
    assert expected in str(err.value)
    assert "\n" not in str(err.value)


def test_bad_toml_and_missing_file(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[media\nmax_size_mb = 3", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(bad)
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "missing.toml")


def test_shards_take_auto_or_a_count():
    assert Config().discord.shards == "auto"
    assert config_from_dict({"discord": {"shards": 4}}).discord.shards == 4
    assert config_from_dict({"discord": {"shards": "auto"}}).discord.shards == "auto"


def test_integers_are_accepted_for_float_settings():
    config = config_from_dict({"media": {"max_size_mb": 5}})
    assert config.media.max_size_mb == 5.0


def test_cli_reports_a_wrong_setting_in_one_line(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[model]\nbeam_size = "five"\n', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(path), "vocab", "list"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "[model] beam_size must be a whole number" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_database_is_a_sqlite_file_or_a_postgresql_url(tmp_path):
    """What Store.open gets: the file (by default under data_dir), or the URL exactly as written."""
    by_default = config_from_dict({"storage": {"data_dir": str(tmp_path)}})
    assert by_default.database == tmp_path / "captions.db"
    url = "postgresql://bot:pw@db.example:5432/captions"
    for written in (url, url.replace("postgresql", "postgres", 1)):
        assert config_from_dict({"storage": {"database": written}}).database == written


def test_a_database_password_is_never_echoed_in_a_config_error():
    """L1: a mistyped scheme used to echo the whole URL, password included."""
    with pytest.raises(ConfigError) as refused:
        config_from_dict(
            {"storage": {"database": "postgresql+asyncpg://captions:s3cret-pw@db:5432/captions"}}
        )
    message = str(refused.value)
    assert (
        "s3cret-pw" not in message and "captions:***@db:5432" in message and "postgresql+asyncpg" in message
    )


def test_the_moderator_role_is_a_role_id_never_a_name():
    """L6: a role name would let anyone with Manage Roles create a role of that name and moderate; the
    config takes an id (the fallback for servers that set none with /settings moderators) or nothing."""
    with pytest.raises(ConfigError) as refused:
        config_from_dict({"discord": {"moderator_role": "Caption Mods"}})
    assert "\n" not in str(refused.value) and "role id" in str(refused.value)
    assert "/settings moderators" in str(refused.value)
    assert config_from_dict({"discord": {"moderator_role": "123456789012345678"}}).discord.moderator_role
    assert config_from_dict({"discord": {"moderator_role": ""}}).discord.moderator_role == ""
