"""Options every command line of the project shares, wherever the user types them.

`--config` belongs to the whole program, but people write it after the subcommand too
(`python -m bot run --config config.toml`). argparse only knows an option where it was declared, so it is
declared on the main parser and on every subcommand; the subcommand's copy has no default of its own, so it
never overwrites a value given before the subcommand.
"""

from __future__ import annotations

import argparse

CONFIG_HELP = "settings file (default: config.toml if present, else built-in defaults)"


def add_config_option(parser: argparse.ArgumentParser) -> None:
    """Declare --config on the main parser (default None: the built-in search)."""
    parser.add_argument("--config", help=CONFIG_HELP)


def add_config_to_subcommands(subparsers: argparse._SubParsersAction) -> None:
    """Declare --config on every subcommand already added, without a default (SUPPRESS keeps the main one)."""
    for sub in subparsers.choices.values():
        sub.add_argument("--config", default=argparse.SUPPRESS, help=CONFIG_HELP)
