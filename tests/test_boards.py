"""The embedded boards under QEMU: the cross-compiled library builds with the
warning flags (-Werror), and the test-vector firmware gives bit-identical
outputs to the host runtime."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import IN_CI, ROOT, model_path
from tinyrt.compiler import compile_tflite
from tinyrt.firmware import build_firmware, missing_tools, parse_outputs, run_qemu
from tinyrt.native import Model

BOARDS = ["mps2-an386", "riscv32-virt"]
SCONS = str(Path(sys.executable).parent / "scons")


def require_tools(board: str) -> None:
    missing = missing_tools(board)
    if missing:
        msg = f"{board}: {', '.join(missing)} not installed (tools/setup.sh installs the cross toolchains and QEMU)"
        if IN_CI:
            pytest.fail(msg)
        pytest.skip(msg)


@pytest.mark.parametrize("board", BOARDS)
def test_library_builds_warning_free(board: str) -> None:
    require_tools(board)
    lib = f"build/{board}/libtinyrt.a"
    subprocess.run([SCONS, "-Q", f"board={board}", "-c", lib], cwd=ROOT, check=True, capture_output=True)
    proc = subprocess.run([SCONS, "-Q", "-j4", f"board={board}", lib], cwd=ROOT, capture_output=True, text=True)
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log
    assert "-Werror" in log and "warning" not in log.lower(), log
    assert (ROOT / lib).is_file()


@pytest.mark.parametrize("board", BOARDS)
def test_kws_bit_exact_under_qemu(board: str, tmp_path: Path) -> None:
    require_tools(board)
    path = model_path("kws_ref_model")
    host = Model(compile_tflite(path).blob)
    rng = np.random.default_rng(1234)
    inputs = [rng.integers(-128, 128, size=host.inputs[0].shape, dtype=np.int8) for _ in range(3)]
    elf = build_firmware(board, path.read_bytes(), inputs, tmp_path)
    text = run_qemu(board, elf, timeout=30)
    got = parse_outputs(text)
    want = [b"".join(o.tobytes() for o in host.run([x])) for x in inputs]
    assert len(got) == len(inputs), text
    for i, (g, w) in enumerate(zip(got, want, strict=True)):
        assert g == w, f"{board} vector {i}: QEMU {g.hex()} != host {w.hex()}"


def test_parse_outputs() -> None:
    assert parse_outputs("out 0 00ff\nout 1 \ndone\n") == [b"\x00\xff", b""]
    with pytest.raises(RuntimeError, match="done"):
        parse_outputs("out 0 00\n")
    with pytest.raises(RuntimeError, match="error trt_invoke"):
        parse_outputs("error trt_invoke: bad\n")
