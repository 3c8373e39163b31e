"""The import graph of ``crawler/`` and ``spiders/``: no cycles, and an archive free of
Scrapy that takes nothing from ``crawler`` but ``crawler.items``.

Read from the source with :mod:`ast` (nothing is imported), every ``import`` counted:
at module level, inside functions, and under ``if TYPE_CHECKING:`` — a cycle hidden
behind one of those is still a cycle in the design.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("crawler", "spiders")
ARCHIVE = "crawler.archive"
#: What ``crawler.archive`` may import from ``crawler`` beyond itself.
ARCHIVE_MAY_IMPORT = frozenset({"crawler.items"})
NOT_IN_ARCHIVE = ("scrapy", "twisted")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_modules() -> dict[str, Path]:
    """``dotted.name -> file`` for every module of :data:`PACKAGES` (packages too)."""
    return {
        module_name(path): path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
    }


def _typing_only(tree: ast.Module) -> set[int]:
    """Ids of the import nodes under ``if TYPE_CHECKING:`` (never run)."""
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and (
            (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING")
            or (isinstance(node.test, ast.Attribute) and node.test.attr == "TYPE_CHECKING")
        ):
            for statement in node.body:
                ids.update(id(n) for n in ast.walk(statement))
    return ids


def imported_names(
    name: str, path: Path, known: Iterable[str] = (), *, typing: bool = True
) -> set[str]:
    """Every dotted name that ``path`` (module ``name``) imports, relative imports made
    absolute. ``from a import b`` gives ``a.b`` when that is a ``known`` module, else
    ``a`` (``b`` is a name defined in ``a``). ``typing``: imports under ``if
    TYPE_CHECKING:`` count too."""
    known = set(known)
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    skip = set() if typing else _typing_only(tree)
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = name.split(".")
                package = package[: len(package) - node.level + (1 if is_package else 0)]
                base = ".".join([*package, base] if base else package)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in known else base)
    return found


def import_graph(*, typing: bool = True) -> dict[str, set[str]]:
    """Edges between our own modules: ``a -> b`` when ``a`` imports ``b`` (the longest
    known module a dotted name starts with). Importing ``a.b`` also runs ``a/__init__``;
    that implicit edge is left out, as every tool drawing import graphs does."""
    modules = source_modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for imported in imported_names(name, path, modules, typing=typing):
            parts = imported.split(".")
            while parts and ".".join(parts) not in modules:
                parts.pop()
            if parts and ".".join(parts) != name:
                targets.add(".".join(parts))
        graph[name] = targets
    return graph


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import cycles: strongly connected components of more than one module
    (Tarjan), each sorted, the list sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(components)


def in_archive(name: str) -> bool:
    return name == ARCHIVE or name.startswith(ARCHIVE + ".")


def test_the_graph_sees_the_archive():
    graph = import_graph()
    assert "crawler.archive.database" in graph["crawler.archive.store"]
    assert "crawler.archive.filters" in graph["crawler.archive.search"]


def test_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert strongly_connected(graph) == [["a", "b", "c"]]


def describe(cycles: list[list[str]], runtime: list[list[str]]) -> str:
    lines = []
    for cycle in cycles:
        how = "" if any(set(c) & set(cycle) for c in runtime) else " (TYPE_CHECKING only)"
        lines.append(" <-> ".join(cycle) + how)
    return "; ".join(lines)


def test_no_import_cycle_in_the_archive():
    """No cycle through crawler/archive, not even one of type annotations only."""
    cycles = [c for c in strongly_connected(import_graph()) if any(map(in_archive, c))]
    assert cycles == [], "import cycles: " + describe(cycles, [])


def test_no_import_cycle_anywhere():
    """No cycle in crawler/ and spiders/, not even one of type annotations only."""
    cycles = strongly_connected(import_graph())
    assert cycles == [], "import cycles: " + describe(
        cycles, strongly_connected(import_graph(typing=False))
    )


#: Packages that are pure: what they may import from the project, and what never.
PURE = {
    "crawler.extract": ("crawler.extract", "crawler.items"),
    "crawler.archive": ("crawler.archive", "crawler.items"),
}
NEVER_IN_PURE = ("scrapy", "twisted", "sqlite3", "sqlite_utils")


def test_pure_packages_import_only_what_their_docstrings_allow():
    """crawler/extract imports no Scrapy, Twisted or SQLite; crawler/archive no Scrapy or
    Twisted (SQLite is its job); neither imports the crawl glue."""
    offending = []
    for name, path in source_modules().items():
        for package, allowed in PURE.items():
            if name != package and not name.startswith(package + "."):
                continue
            for imported in imported_names(name, path):
                top = imported.split(".")[0]
                never = NOT_IN_ARCHIVE if package == ARCHIVE else NEVER_IN_PURE
                if top in never:
                    offending.append(f"{name} imports {imported}")
                elif top in PACKAGES and not any(
                    imported == a or imported.startswith(a + ".") for a in allowed
                ):
                    offending.append(f"{name} imports {imported}")
    assert offending == []


def test_archive_imports_no_scrapy_and_only_items_from_crawler():
    modules = source_modules()
    offending = []
    for name, path in modules.items():
        if not in_archive(name):
            continue
        for imported in imported_names(name, path):
            top = imported.split(".")[0]
            if top in NOT_IN_ARCHIVE:
                offending.append(f"{name} imports {imported}")
            elif top in PACKAGES and not in_archive(imported):
                if imported not in ARCHIVE_MAY_IMPORT and not any(
                    imported.startswith(allowed + ".") for allowed in ARCHIVE_MAY_IMPORT
                ):
                    offending.append(f"{name} imports {imported}")
    assert offending == []


def test_importing_the_archive_loads_no_scrapy():
    """Everything the archive imports, transitively, at run time."""
    archive = sorted(n for n in source_modules() if in_archive(n))
    code = (
        "import importlib, sys\n"
        f"for name in {archive!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {NOT_IN_ARCHIVE!r}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_every_module_says_what_it_holds_and_may_import():
    """Each module's docstring says what it may import; one over ~400 lines says why."""
    missing, long_unexplained = [], []
    for name, path in source_modules().items():
        source = path.read_text(encoding="utf-8")
        doc = ast.get_docstring(ast.parse(source)) or ""
        if "import" not in doc.lower():
            missing.append(name)
        if source.count("\n") > 420 and "over 400 lines" not in doc.lower():
            long_unexplained.append(name)
    assert missing == []
    assert long_unexplained == []
