"""Shared SCons helpers: boards are data (boards/<name>/board.py); this module
turns one into a configured construction environment."""

from __future__ import annotations

import os
import sys
from typing import Any

from SCons.Script import Environment  # type: ignore[import-not-found]

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The board loader (standard library only) and, for model=, the firmware generator.
if os.path.join(ROOT, "python") not in sys.path:
    sys.path.insert(0, os.path.join(ROOT, "python"))

from tinyrt.target.boards import board_names, load_board  # noqa: E402

MODES = ("release", "debug", "asan")

WARNINGS = ["-Wall", "-Wextra", "-Werror", "-Wshadow", "-Wstrict-prototypes", "-Wmissing-prototypes"]
MODE_FLAGS = {
    "release": ["-O2", "-DNDEBUG"],
    "debug": ["-O0", "-g3"],
    # Every UB report is fatal so a fuzz run cannot pass over one.
    "asan": ["-O1", "-g", "-fno-omit-frame-pointer", "-fsanitize=address,undefined", "-fno-sanitize-recover=all"],
}


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
        # The kernel directories this board builds (kernels/SConscript): the
        # default op table lists only their (op, variant) pairs.
        CPPDEFINES=[f"TRT_BUILD_KERNELS_{d.upper()}" for d in board["kernel_dirs"]],
    )
    if mode == "asan":
        env.Append(LINKFLAGS=MODE_FLAGS["asan"])
    # Cross boards: the CPU flags pick the multilib at link time too; the
    # board's C library, start-up and linker script are only for firmware.
    env.Append(LINKFLAGS=board["cpu_flags"] + board.get("link_flags", []))
    if board.get("linker_script"):
        env.Append(LINKFLAGS=["-T", os.path.join(ROOT, "boards", board["name"], board["linker_script"])])
    if board["name"] == "host":
        # The host library is also linked into the Python extension.
        env.Append(CCFLAGS=["-fPIC"])
    env["BOARD"] = board
    return env


APPS = {"test": "main.c", "bench": "bench_main.c", "serve": "serve_main.c", "cases": "cases_main.c"}  # boards/common/<main> (python/tinyrt/target/firmware.py)
GENERATED = ["model_data.c", "model_ops.c", "vectors.c"]
# The cases app runs any blob it is given: no model, no model_ops.c, so the
# library's default op table (every pair of the board's kernel dirs) is linked.
APP_GENERATED = {"cases": ["cases_data.c"]}


def firmware(env: Any, lib: Any, workdir: str, app: str = "test", generated: Any = None) -> Any:
    """Link `<workdir>/firmware.elf`: the app's main (boards/common), the
    board's start-up files and the generated model_data.c, model_ops.c and
    vectors.c in workdir (`generated`: the nodes that make them, if SCons
    does). model_ops.c defines the op table, so only the model's kernels
    are linked (runtime/include/tinyrt/ops.h)."""
    board = env["BOARD"]
    workdir = os.path.abspath(workdir)
    fw = env.Clone()
    fw.Append(CPPPATH=[workdir])
    sources = [os.path.join(ROOT, "boards", "common", APPS[app])]
    sources += [os.path.join(ROOT, "boards", board["name"], s) for s in board.get("firmware_sources", [])]
    sources += generated if generated is not None else [os.path.join(workdir, g)
                                                        for g in APP_GENERATED.get(app, GENERATED)]
    objs = [fw.Object(os.path.join(workdir, "obj", os.path.splitext(os.path.basename(str(s)))[0] + ".o"), s)
            for s in sources if not str(s).endswith(".h")]
    elf = fw.Program(os.path.join(workdir, "firmware.elf"), objs + [lib])
    if board.get("linker_script"):
        fw.Depends(elf, os.path.join(ROOT, "boards", board["name"], board["linker_script"]))
    return elf


def generate_action(target: Any, source: Any, env: Any) -> int:
    """SCons action: write the firmware sources for `model=` (tinyrt.target.firmware.generate)."""
    # Only when a model is converted: the firmware generator needs numpy and the .tflite parser.
    from tinyrt.target.firmware import FirmwareError, generate

    try:
        generate(env["BOARD"]["name"], str(source[0]), os.path.dirname(str(target[0])), vectors=env["VECTORS"],
                 kernels=env["KERNELS"])
    except FirmwareError as e:
        print(f"tinyrt: {e}")
        return 1
    return 0


__all__ = ["APPS", "Environment", "MODES", "board_names", "firmware", "generate_action", "load_board", "make_env",
           "variant_dir"]
