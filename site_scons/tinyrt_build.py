"""Shared SCons helpers: boards are data (boards/<name>/board.py); this module
turns one into a configured construction environment."""

from __future__ import annotations

import os
import runpy
from typing import Any

from SCons.Script import Environment  # type: ignore[import-not-found]

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODES = ("release", "debug", "asan")

WARNINGS = ["-Wall", "-Wextra", "-Werror", "-Wshadow", "-Wstrict-prototypes", "-Wmissing-prototypes"]
MODE_FLAGS = {
    "release": ["-O2", "-DNDEBUG"],
    "debug": ["-O0", "-g3"],
    # Every UB report is fatal so a fuzz run cannot pass over one.
    "asan": ["-O1", "-g", "-fno-omit-frame-pointer", "-fsanitize=address,undefined", "-fno-sanitize-recover=all"],
}


def board_names() -> list[str]:
    boards = os.path.join(ROOT, "boards")
    return sorted(d for d in os.listdir(boards) if os.path.isfile(os.path.join(boards, d, "board.py")))


def load_board(name: str) -> dict[str, Any]:
    board = dict(runpy.run_path(os.path.join(ROOT, "boards", name, "board.py"))["BOARD"])
    board["name"] = name
    return board


def variant_dir(board: str, mode: str) -> str:
    return f"build/{board}" if mode == "release" else f"build/{board}-{mode}"


def make_env(base: Any, board: dict[str, Any], mode: str) -> Any:
    env = base.Clone()
    prefix = board["toolchain_prefix"]
    env.Replace(CC=prefix + "gcc", AR=prefix + "ar", RANLIB=prefix + "ranlib")
    env.Append(
        CCFLAGS=WARNINGS + MODE_FLAGS[mode] + board["cpu_flags"] + ["-ffunction-sections", "-fdata-sections"],
        # The blob is read in place through struct pointers.
        CFLAGS=["-std=c99", "-fno-strict-aliasing"],
        CPPPATH=["#runtime/include", "#kernels/include"],
    )
    if mode == "asan":
        env.Append(LINKFLAGS=MODE_FLAGS["asan"])
    if board["name"] == "host":
        # The host library is also linked into the Python extension.
        env.Append(CCFLAGS=["-fPIC"])
    env["BOARD"] = board
    return env


__all__ = ["Environment", "MODES", "board_names", "load_board", "make_env", "variant_dir"]
