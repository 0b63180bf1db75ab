"""The process boundaries, checked in fresh interpreters.

The bot process never loads torch, transformers, peft, datasets or the trainer package (it starts the trainer
as a separate process); the trainer never loads discord.py or the bot's Discord front end. Each check imports
the real entry points of one side in a new `python -c` and reports which forbidden modules ended up in
`sys.modules` — so a top-level import anywhere beneath them, direct or indirect, fails here.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The trainer package and every import of pyproject's `train` extra (the bot-only install leaves them out).
BOT_FORBIDDEN = ("torch", "transformers", "peft", "datasets", "accelerate", "jiwer", "matplotlib", "trainer")
TRAINER_FORBIDDEN = ("discord", "bot.discord_app", "bot.service", "bot.cli")

# Runs in the child: import every module named on the command line (every module beneath the packages named
# with a trailing ".*"), run the package named in argv[3] like `python -m PACKAGE --help`, then print which
# forbidden packages (argv[2], comma-separated) are loaded and which project module imported each.
CHILD = """
import importlib, json, pkgutil, runpy, sys
names, forbidden, main_package = sys.argv[1].split(","), sys.argv[2].split(","), sys.argv[3]
imported, importers = [], {}

class Witness:  # notes which project module first imported each forbidden package
    def find_spec(self, name, path=None, target=None):
        root = next((f for f in forbidden if name == f or name.startswith(f + ".")), None)
        if root and root not in importers:
            frame = sys._getframe(1)
            while frame and frame.f_globals.get("__name__", "").split(".")[0] not in ("bot", "trainer"):
                frame = frame.f_back
            importers[root] = frame.f_globals["__name__"] if frame else "?"
        return None

sys.meta_path.insert(0, Witness())
for name in names:
    if name.endswith(".*"):
        package = importlib.import_module(name[:-2])
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if not info.name.endswith(".__main__"):
                importlib.import_module(info.name)
                imported.append(info.name)
    else:
        importlib.import_module(name)
        imported.append(name)
if main_package:
    sys.argv = ["python -m " + main_package, "--help"]
    try:
        runpy.run_module(main_package, run_name="__main__", alter_sys=True)
    except SystemExit:
        pass
loaded = sorted(f for f in forbidden if any(m == f or m.startswith(f + ".") for m in sys.modules))
print(json.dumps({"imported": imported, "loaded": {f: importers.get(f, "?") for f in loaded}}))
"""


def load_in_fresh_process(names: list[str], forbidden: tuple[str, ...], main_package: str = "") -> dict:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, ",".join(names), ",".join(forbidden), main_package],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_bot_never_loads_the_trainer_or_torch() -> None:
    # bot.* covers the CLI, the service, the Discord client and every cog; faster_whisper and yt_dlp are what
    # the bot imports lazily while serving (transcription, link downloads).
    names = ["bot.*", "bot.cli", "bot.service", "bot.discord_app.client", "faster_whisper", "yt_dlp"]
    report = load_in_fresh_process(names, BOT_FORBIDDEN, main_package="bot")
    for entry_point in (
        "bot.cli",
        "bot.service",
        "bot.discord_app.client",
        "bot.discord_app.cogs.captioning",
    ):
        assert entry_point in report["imported"]
    cogs = [m for m in report["imported"] if m.startswith("bot.discord_app.cogs.")]
    assert len(cogs) >= 7, cogs
    assert report["loaded"] == {}, f"the bot process loaded (package: imported by) {report['loaded']}"


def test_the_train_extra_holds_what_the_bot_never_loads() -> None:
    """A host that only serves captions installs `pip install -e .`: no package of the `train` extra, and every
    one of them is a package the check above proves the bot never imports."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    def names(requirements: list[str]) -> set[str]:
        return {r.split("==")[0].split(">")[0].split("[")[0].strip().lower() for r in requirements}

    train = names(project["optional-dependencies"]["train"])
    assert {"torch", "transformers", "peft"} <= train  # control: the extra is read
    assert train <= set(BOT_FORBIDDEN)
    assert not train & names(project["dependencies"]), "a training package is in the bot's dependencies"


def test_trainer_never_loads_discord() -> None:
    names = [
        "trainer.*",
        "trainer.cli",
        "trainer.worker",
        "trainer.pipeline",
        "trainer.dataset",
        "trainer.train",
        "trainer.evaluate",
        "trainer.export",
    ]
    report = load_in_fresh_process(names, TRAINER_FORBIDDEN, main_package="trainer")
    assert report["loaded"] == {}, f"the trainer process loaded (package: imported by) {report['loaded']}"


def test_the_check_sees_a_forbidden_import() -> None:
    # The control: the same check on the bot's Discord client must report discord.py, or the two tests above
    # would pass for the wrong reason.
    report = load_in_fresh_process(["bot.discord_app.client"], TRAINER_FORBIDDEN)
    assert "discord" in report["loaded"]
    assert "bot.discord_app" in report["loaded"]


def project_imports(folder: Path, root: Path = ROOT) -> dict[str, set[str]]:
    """Every module each file under folder imports by name (top level or inside functions), read from the source
    so a lazy import counts as much as a top-level one."""
    found: dict[str, set[str]] = {}
    for path in sorted(folder.rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
        found[str(path.relative_to(root))] = names
    return found


def outside(imports: dict[str, set[str]], allowed: tuple[str, ...], watched: str) -> dict[str, list[str]]:
    """The files that import a module under `watched` that is not under one of `allowed`."""
    bad = {}
    for path, names in imports.items():
        wrong = sorted(
            n
            for n in names
            if (n == watched or n.startswith(watched + "."))
            and not any(n == a or n.startswith(a + ".") for a in allowed)
        )
        if wrong:
            bad[path] = wrong
    return bad


def test_the_trainer_imports_only_the_shared_core_of_bot() -> None:
    # bot/core is what both processes share; the service, the CLI and the Discord layer are the bot's alone.
    assert outside(project_imports(ROOT / "trainer"), ("bot.core",), "bot") == {}


def test_the_core_never_imports_the_layers_above_it() -> None:
    imports = project_imports(ROOT / "bot" / "core")
    assert outside(imports, ("bot.core",), "bot") == {}
    assert outside(imports, (), "discord") == {}
    assert outside(imports, (), "torch") == {}


def test_the_import_check_sees_a_forbidden_import(tmp_path: Path) -> None:
    # The control: a trainer module that imports the service is reported, lazily imported or not.
    (tmp_path / "step.py").write_text(
        "def run():\n    from bot.service import CaptionService\n", encoding="utf-8"
    )
    imports = project_imports(tmp_path, tmp_path)
    assert outside(imports, ("bot.core",), "bot") == {
        "step.py": ["bot.service", "bot.service.CaptionService"]
    }


# The Discord layer reaches the database only through the service (bot/service/): no attribute named `store`
# (`self.bot.service.store.x`, or `bot.core.store.Store` after `import bot.core.store`), no `from bot.core
# import store`, and of bot.core.store only the row and status types (bot/core/store/rows.py, re-exported by
# the package). Those are accepted: they are the values the service hands back and takes (a JobRow to show,
# ChannelSetting.AUTOCAPTION to ask about), not queries. Store, the query modules, the engines and paths are not.
STORE_PACKAGE = "bot.core.store"


def row_types() -> tuple[str, ...]:
    """The names bot.core.store exports that are defined in its rows module."""
    import bot.core.store as package
    from bot.core.store import rows

    return tuple(name for name in package.__all__ if getattr(rows, name, None) is getattr(package, name))


def store_reaches(folder: Path, root: Path = ROOT) -> dict[str, list[str]]:
    """Where files under folder reach the store other than through the service: imports from bot.core.store
    that are not row types, `from bot.core import store`, and every `.store` attribute (with its line)."""
    allowed = (f"{STORE_PACKAGE}.rows", *(f"{STORE_PACKAGE}.{name}" for name in row_types()))
    # the bare package is named by every `from bot.core.store import X`; X is what decides
    imports = {path: names - {STORE_PACKAGE} for path, names in project_imports(folder, root).items()}
    found = outside(imports, allowed, STORE_PACKAGE)
    for path in sorted(folder.rglob("*.py")):
        reaches: list[tuple[int, str]] = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "store":
                reaches.append((node.lineno, ".store"))
            elif isinstance(node, ast.ImportFrom) and node.module == "bot.core" and node.level == 0:
                reaches += [(node.lineno, "import store") for a in node.names if a.name == "store"]
        if reaches:
            lines = [f"line {n}: {what}" for n, what in sorted(reaches)]
            found.setdefault(str(path.relative_to(root)), []).extend(lines)
    return found


def test_the_discord_layer_reaches_the_store_only_through_the_service() -> None:
    assert "JobRow" in row_types() and "ChannelSetting" in row_types() and "Store" not in row_types()
    assert store_reaches(ROOT / "bot" / "discord_app") == {}


def test_the_store_check_sees_a_store_reached_directly(tmp_path: Path) -> None:
    # The control: a cog that calls a query on the service's store, or imports Store, is reported; the same cog
    # calling the service and naming a row type is not.
    (tmp_path / "cog.py").write_text(
        "from bot.core.store import ChannelSetting, Store\n\n"
        "async def show(self):\n    return await self.bot.service.store.vocabulary(1)\n",
        encoding="utf-8",
    )
    (tmp_path / "fine.py").write_text(
        "from bot.core.store import ChannelSetting, JobRow\n\n"
        "async def show(self):\n    return await self.bot.service.vocabulary(1)\n",
        encoding="utf-8",
    )
    (tmp_path / "sneaky.py").write_text("def run():\n    from bot.core import store\n", encoding="utf-8")
    assert store_reaches(tmp_path, tmp_path) == {
        "cog.py": ["bot.core.store.Store", "line 4: .store"],
        "sneaky.py": ["line 2: import store"],
    }
