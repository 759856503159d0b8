"""The Python package's layout: no import cycles between its modules, and
the parts that must work without the .tflite parser (the blob format, the
board loader SCons uses) or stay cheap (`import tinyrt`) do."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "python" / "tinyrt"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def module_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Imports run when the module is imported: at module level, also inside
    if/try/with blocks, but not in functions, classes' methods or under `if
    TYPE_CHECKING`."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.Import | ast.ImportFrom):
                found.append(node)
            elif isinstance(node, ast.If):
                if not _is_type_checking(node.test):
                    visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                for block in (node.body, node.orelse, node.finalbody, *(h.body for h in node.handlers)):
                    visit(block)
            elif isinstance(node, ast.With | ast.ClassDef):
                visit(node.body)

    visit(tree.body)
    return found


def import_graph() -> dict[str, set[str]]:
    """module -> the package modules its module-level imports load."""
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(p): p for p in paths}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        deps: set[str] = set()
        for node in module_level_imports(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                if node.level:
                    base = name.split(".")
                    base = base[: len(base) - node.level + (1 if is_package else 0)]
                    prefix = ".".join(base + ([node.module] if node.module else []))
                else:
                    prefix = node.module or ""
                # `from X import y`: y may be a submodule of X.
                targets = [prefix] + [f"{prefix}.{a.name}" for a in node.names]
            for target in targets:
                # Importing a.b.c runs a, a.b and a.b.c (the importer's own
                # packages are already being imported: not an edge).
                parts = target.split(".")
                for i in range(1, len(parts) + 1):
                    mod = ".".join(parts[:i])
                    if mod in modules and mod != name and not name.startswith(mod + "."):
                        deps.add(mod)
        graph[name] = deps
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1: on the stack, 2: done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == 1:
                return stack[stack.index(dep):] + [dep]
            if dep not in state and (cycle := visit(dep)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_import_graph_sees_the_package() -> None:
    graph = import_graph()
    assert {"tinyrt", "tinyrt.target.boards", "tinyrt.target.firmware", "tinyrt.target.qemu"} <= set(graph)
    assert "tinyrt.target.qemu" in graph["tinyrt.target.firmware"]
    assert "tinyrt.target.boards" in graph["tinyrt.target.qemu"]


def test_find_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_no_import_cycles() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "python")})


def test_format_and_boards_import_without_the_tflite_parser() -> None:
    """A venv without the .tflite parser (or TFLM) still has the blob
    format and the board loader (what SCons imports)."""
    proc = _python("import sys; sys.modules['tflite'] = None; sys.modules['tflite_micro'] = None; "
                   "import tinyrt.format, tinyrt.target.boards; print(len(tinyrt.target.boards.board_names()))")
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout) > 1


def test_import_tinyrt_is_lazy() -> None:
    heavy = ["numpy", "tflite", "tflite_micro", "cffi", "tinyrt.convert", "tinyrt.compiler", "tinyrt.native",
             "tinyrt.blob", "tinyrt.plan", "tinyrt.quant", "tinyrt.tflite", "tinyrt.target.firmware"]
    proc = _python(f"import sys, tinyrt; print([m for m in {heavy!r} if m in sys.modules])")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]", f"import tinyrt loaded {proc.stdout.strip()}"
    # The public names are still there, on first use.
    proc = _python("import tinyrt; print(tinyrt.compile_tflite.__module__, tinyrt.Graph.__module__, "
                   "tinyrt.ConvertError.__name__, all(hasattr(tinyrt, n) for n in tinyrt.__all__))")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["tinyrt.compiler", "tinyrt.ir", "ConvertError", "True"]
