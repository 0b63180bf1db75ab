"""The documents stay true to the code: the import graph in docs/architecture.md is the one the source has, and
every relative link in README.md, CONTRIBUTING.md and docs/*.md names a file that exists."""

from __future__ import annotations

import re
from pathlib import Path

from tests import import_graph

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]
# [text](target) and [text]: target; the target up to a space, ")" or "#"
LINK = re.compile(
    r"\[[^\]]*\]\(([^)\s#]*)(?:#[^)\s]*)?(?:\s+\"[^\"]*\")?\)|^\[[^\]]+\]:\s*(\S+)", re.MULTILINE
)
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)


def test_the_import_graph_in_the_architecture_doc_is_the_codes() -> None:
    doc = import_graph.DOC.read_text(encoding="utf-8")
    assert import_graph.block_in(doc) == import_graph.block(), (
        "docs/architecture.md's import graph differs from the code's: run `python -m tests.import_graph --write` "
        "and check that the new edge is one the architecture allows"
    )


def test_a_changed_edge_is_noticed(tmp_path: Path) -> None:
    # The control: the same comparison on a tree where the core imports the service must differ, or the test
    # above would pass for the wrong reason.
    real = import_graph.edges()
    assert ("bot.core.store", "bot.service") not in real
    for folder in ("bot", "trainer"):
        for path in (import_graph.ROOT / folder).rglob("*.py"):
            copy = tmp_path / path.relative_to(import_graph.ROOT)
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "bot" / "core" / "store" / "late.py").write_text(
        "def later():\n    from ...service import CaptionService\n", encoding="utf-8"
    )
    changed = import_graph.edges(tmp_path)
    assert changed - real == {("bot.core.store", "bot.service")}
    assert import_graph.block(changed) != import_graph.block(real)


def test_imports_collapse_to_the_packages_the_architecture_names() -> None:
    assert import_graph.package_of("bot.core.store.store") == "bot.core.store"
    assert import_graph.package_of("bot.core.config") == "bot.core"
    assert import_graph.package_of("bot.discord_app.cogs.vocab") == "bot.discord_app"
    assert import_graph.package_of("bot.__main__") == "bot.cli"
    assert import_graph.package_of("torch.nn") == "torch & co"
    assert import_graph.package_of("numpy") is None
    # `from bot.core import store` imports the store package, `from bot.core import config` a top module
    names = import_graph.imported_modules("from bot.core import store, config\n", "trainer.x", False)
    assert {import_graph.package_of(n) for n in names} == {"bot.core.store", "bot.core"}


def relative_links(path: Path) -> list[str]:
    text = FENCE.sub("", path.read_text(encoding="utf-8"))  # code blocks hold commands, not links
    targets = [a or b for a, b in LINK.findall(text)]
    return [t for t in targets if t and not re.match(r"^[a-z][a-z0-9+.-]*:", t)]  # no http:, mailto:


def test_every_relative_link_in_the_docs_points_to_a_file() -> None:
    assert (ROOT / "CONTRIBUTING.md").exists() and len(DOCUMENTS) >= 6
    broken = {
        f"{doc.relative_to(ROOT)} -> {target}"
        for doc in DOCUMENTS
        for target in relative_links(doc)
        if not (doc.parent / target).exists()
    }
    assert not broken, sorted(broken)


def test_the_link_check_sees_a_broken_link(tmp_path: Path) -> None:
    doc = tmp_path / "x.md"
    doc.write_text(
        "[a](docs/missing.md) [b](https://example.com) [c](#anchor) [d](y.md#part)\n```\n[e](not-a-link)\n```\n",
        encoding="utf-8",
    )
    assert relative_links(doc) == ["docs/missing.md", "y.md"]
