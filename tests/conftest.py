"""Shared test set-up: the package path (harmless once it is installed), the
MLPerf Tiny models from ../shared/models, and the host builds."""

from __future__ import annotations

import os
import sys
from pathlib import Path

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


def require_tools(board: str) -> None:
    """Skip when the board's compiler or QEMU is missing; in CI, fail instead."""
    from tinyrt.firmware import missing_tools

    missing = missing_tools(board)
    if missing:
        msg = f"{board}: {', '.join(missing)} not installed (tools/setup.sh installs the cross toolchains and QEMU)"
        if IN_CI:
            pytest.fail(msg)
        pytest.skip(msg)
