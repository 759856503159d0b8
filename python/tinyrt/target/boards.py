"""The one board loader: a board is data, boards/<name>/board.py defining a
`BOARD` dict (cpu flags, toolchain prefix, memory map, QEMU machine, ...).

SCons (site_scons/tinyrt_build.py), the firmware builder, QEMU runner, size
report and tests all read boards through this module, which imports only the
standard library (SCons loads it without numpy or the .tflite parser)."""

from __future__ import annotations

import runpy
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
BOARDS_DIR = ROOT / "boards"


class BoardError(ValueError):
    """An unknown board, or one without what was asked of it."""


def board_names() -> list[str]:
    """Every board: the folders of boards/ with a board.py."""
    return sorted(d.name for d in BOARDS_DIR.iterdir() if (d / "board.py").is_file())


def load_board(name: str) -> dict[str, Any]:
    """boards/<name>/board.py's BOARD, with "name" added."""
    known = board_names()
    if name not in known:
        raise BoardError(f"unknown board {name!r}: known boards are {', '.join(known)}")
    board = dict(runpy.run_path(str(BOARDS_DIR / name / "board.py"))["BOARD"])
    board["name"] = name
    return board


def kernel_dirs(board: str | None, kernels: str | None = None) -> tuple[str, ...]:
    """The kernel directories whose variants a blob for `board` may name: the
    board's `kernel_dirs`, or the portable reference alone without a board.
    `kernels` overrides them: "ref" forces the reference kernels everywhere
    (debugging, comparisons), "board" is the board's, "a,b" a list (each one
    the board must build)."""
    own = tuple(load_board(board)["kernel_dirs"]) if board else ("ref",)
    if kernels in (None, "", "board"):
        return own
    wanted = tuple(dict.fromkeys(["ref", *(k.strip() for k in kernels.split(",") if k.strip())]))
    missing = [k for k in wanted if k not in own]
    if missing:
        raise BoardError(f"--kernels {kernels}: {board or 'a portable blob'} does not build {', '.join(missing)}; "
                         f"it builds {', '.join(own)}")
    return wanted


def _board(board: str | Mapping[str, Any]) -> Mapping[str, Any]:
    return load_board(board) if isinstance(board, str) else board


def tool(board: str | Mapping[str, Any], name: str) -> str:
    """The board's toolchain program `name` ("gcc", "size", "nm", ...): its
    toolchain prefix + name (the host's own tools for the host board)."""
    return str(_board(board).get("toolchain_prefix") or "") + name


def missing_tools(board: str | Mapping[str, Any]) -> list[str]:
    """The board's compiler and QEMU binaries that are not on PATH."""
    b = _board(board)
    tools = [tool(b, "gcc")] + ([b["qemu"]["binary"]] if b.get("qemu") else [])
    return [t for t in tools if shutil.which(t) is None]


__all__ = ["BOARDS_DIR", "ROOT", "BoardError", "board_names", "kernel_dirs", "load_board", "missing_tools", "tool"]
