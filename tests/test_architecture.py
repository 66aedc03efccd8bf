"""The code's shape: no import cycle, packages in layers, and sizes a newcomer can read.

Every import statement counts: at module level, inside functions, and under
``if TYPE_CHECKING:`` (it is read from the source, not from what Python loaded).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("retrieval", "bot")

#: Lowest first. A module may import modules of its own layer's unit or of lower layers,
#: never of a higher one. Units of one layer do not import each other.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("retrieval.errors", "retrieval.types"),
    ("retrieval.settings",),
    ("retrieval.text",),
    ("retrieval.attribution",),
    ("retrieval.ingest",),
    ("retrieval.model",),
    ("retrieval.index",),
    ("retrieval.query",),
    ("retrieval.conversation",),
    ("retrieval.service", "retrieval.watch"),
    ("retrieval.evaluation", "retrieval"),
    ("bot.i18n", "bot.visual", "bot.options"),
    ("bot.testing", "bot.formatting", "bot.progress", "bot.batcher", "bot.chat_store"),
    ("bot.dialogue",),
    ("bot.console", "bot.telegram"),
    ("bot.chat", "bot.model_info"),
    ("bot.cli", "bot"),
)

MAX_PACKAGE_MODULES = 15
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


MODULES = _modules()


def _imports(path: Path) -> set[str]:
    """The project modules ``path`` imports, wherever the import statement stands."""
    edges = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
        else:
            continue
        edges.update(name for name in names if name in MODULES)  # a module, or a package's __init__
    return edges


GRAPH = {name: _imports(path) - {name} for name, path in MODULES.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _unit(module: str) -> str:
    """The layer unit a module belongs to: the longest unit name that contains it."""
    units = [u for layer in LAYERS for u in layer if module == u or module.startswith(u + ".")]
    assert units, f"{module} is in no layer: add it to LAYERS in {__file__}"
    return max(units, key=len)


LEVEL = {unit: level for level, layer in enumerate(LAYERS) for unit in layer}


def test_the_import_graph_sees_imports_of_every_kind():
    assert "retrieval.index.loaded" in GRAPH["retrieval.query.dense"]
    assert "retrieval.model.embedding" in GRAPH["bot.cli"]  # a function-local import
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles():
    assert _cycles(GRAPH) == []


def test_no_package_imports_one_above_it():
    wrong = [
        f"{module} ({_unit(module)}) imports {other} ({_unit(other)})"
        for module, imported in GRAPH.items()
        for other in imported
        if LEVEL[_unit(other)] > LEVEL[_unit(module)]
        or (LEVEL[_unit(other)] == LEVEL[_unit(module)] and _unit(other) != _unit(module))
    ]
    assert wrong == []


def test_units_form_no_cycle():
    units: dict[str, set[str]] = defaultdict(set)
    for module, imported in GRAPH.items():
        units[_unit(module)] |= {_unit(o) for o in imported} - {_unit(module)}
    assert _cycles(units) == []


@pytest.mark.parametrize("package", sorted({p.parent for p in MODULES.values()}), ids=str)
def test_no_package_holds_more_than_15_modules(package: Path):
    assert len(list(package.glob("*.py"))) <= MAX_PACKAGE_MODULES


def test_no_module_over_400_lines_and_no_function_over_60():
    long_modules, long_functions = [], []
    for name, path in MODULES.items():
        source = path.read_text(encoding="utf-8")
        if len(source.splitlines()) > MAX_MODULE_LINES:
            long_modules.append(name)
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES:
                    long_functions.append(f"{name}.{node.name}")
    assert long_modules == [] and long_functions == []


def test_every_module_starts_with_a_docstring():
    assert [n for n, p in MODULES.items() if not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))] == []


def test_the_architecture_doc_lists_every_module():
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = [
        path.relative_to(ROOT).as_posix()
        for path in MODULES.values()
        if path.name != "__init__.py" and f"`{path.relative_to(ROOT).as_posix()}`" not in doc
    ]
    assert missing == []
