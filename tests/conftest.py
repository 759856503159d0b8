"""Shared test set-up: the package path (harmless once it is installed), the
MLPerf Tiny models from ../shared/models, the host builds, the boards' tools,
and host reference vectors for firmware runs.

Markers (pyproject.toml): `cross` (builds with a cross toolchain) and `qemu`
(runs firmware under QEMU or unicorn); `pytest -m "not cross and not qemu"`
runs the host tests only."""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "python") not in sys.path:
    sys.path.insert(0, str(ROOT / "python"))
if str(ROOT / "tests") not in sys.path:
    sys.path.insert(0, str(ROOT / "tests"))

MODELS_DIR = ROOT.parent / "shared" / "models"
MODEL_NAMES = ["kws_ref_model", "vww_96_int8", "pretrainedResnet_quant", "ad01_int8"]
IN_CI = bool(os.environ.get("CI"))


def model_path(name: str) -> Path:
    path = MODELS_DIR / f"{name}.tflite"
    if not path.exists():
        if IN_CI:
            pytest.fail(f"{path} is missing: CI must have ../shared/models")
        pytest.skip(f"MLPerf Tiny model {path} not present (../shared/models is only in the development checkout)")
    return path


def host_tool(name: str, mode: str = "release") -> Path:
    build = ROOT / "build" / ("host" if mode == "release" else f"host-{mode}") / "tools" / name
    if not build.exists():
        pytest.fail(f"{build} not built: run `scons board=host mode={mode}` (tools/test.sh does)")
    return build


def _missing(msg: str) -> None:
    """Skip for a missing tool; in CI, fail instead."""
    if IN_CI:
        pytest.fail(msg)
    pytest.skip(msg)


def require_tools(board: str) -> None:
    """Skip when the board's compiler or QEMU is missing; in CI, fail instead."""
    from tinyrt.target.boards import missing_tools

    missing = missing_tools(board)
    if missing:
        _missing(f"{board}: {', '.join(missing)} not installed (tools/setup.sh installs the cross toolchains and QEMU)")


def require_litert() -> None:
    """Skip when the LiteRT interpreter (the oracle of the ops TFLM has no
    int8 kernel for) is not installed; in CI, fail instead."""
    import importlib.util

    if importlib.util.find_spec("ai_edge_litert") is None:
        _missing("ai-edge-litert not installed (requirements.txt pins it; tools/setup.sh installs it)")


def board_tool(board: str, name: str) -> str:
    """The board's binutils program `name` ("size", "nm", ...), from its
    toolchain prefix; skips (fails in CI) when it is not on PATH."""
    from tinyrt.target.boards import tool

    program = tool(board, name)
    if shutil.which(program) is None:
        _missing(f"{board}: {program} not installed (tools/setup.sh installs the cross toolchains)")
    return program


@dataclass
class HostReference:
    """Seeded random inputs and what the host runtime makes of them."""

    inputs: list[list[np.ndarray]]  # per inference, one array per model input
    vectors: list[np.ndarray]  # per inference, all inputs back to back (int8): a firmware's test vectors
    outputs: list[bytes]  # per inference, all outputs back to back


def host_reference(blob: bytes, n: int, seed: int = 0, tflite: bytes | None = None) -> HostReference:
    """`n` inferences of seeded random inputs (the ones `tinyrt qemu` and
    `scons model=` link in for the same seed) run on the host runtime; with
    `tflite`, each output is also checked to equal TFLM's bit for bit."""
    from tinyrt.native import Model
    from tinyrt.target.firmware import seeded_inputs

    host = Model(blob)
    inputs = seeded_inputs(blob, n, seed)
    outputs = []
    for i, xs in enumerate(inputs):
        got = b"".join(np.ascontiguousarray(o).tobytes() for o in host.run(xs))
        if tflite is not None:
            from tinyrt.oracle import run_tflm

            want = b"".join(np.ascontiguousarray(o).tobytes() for o in run_tflm(tflite, xs))
            assert got == want, f"vector {i}: host {got.hex()} != TFLM {want.hex()}"
        outputs.append(got)
    vectors = [np.concatenate([x.reshape(-1).view(np.int8) for x in xs]) for xs in inputs]
    return HostReference(inputs, vectors, outputs)


def pytest_addoption(parser: pytest.Parser) -> None:
    """Hardware in the loop (tests/test_hil.py): without these options the
    HIL tests run against QEMU boards; with them, against a physical board
    flashed with the serve firmware of kws_ref_model (README: the rig)."""
    group = parser.getgroup("hil", "hardware in the loop")
    group.addoption("--hil-port", action="append", default=[],
                    help="serial device or pyserial URL of a board running the serve firmware (repeatable)")
    group.addoption("--hil-board", default=None, help="the board type behind --hil-port (e.g. nucleo-l4r5zi)")
