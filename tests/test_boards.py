"""The embedded boards under QEMU: the cross-compiled library builds with the
warning flags (-Werror), and the test-vector firmware of every MLPerf Tiny
model that fits the board gives outputs bit-identical to the host runtime and
to TFLM. Models too large for a board are refused before linking with a
"does not fit" error that names the byte counts."""

from __future__ import annotations

import functools
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import MODEL_NAMES, ROOT, HostReference, host_reference, model_path, require_tools
from tinyrt.compiler import compile_tflite
from tinyrt.target.boards import load_board
from tinyrt.target.firmware import FirmwareError, build_firmware, check_fit, parse_outputs, run_qemu

BOARDS = ["mps2-an385", "mps2-an386", "mps2-an500", "mps2-an505", "mps3-an547", "microbit", "riscv32-virt",
          "hifive1-revb"]
# Real boards QEMU does not model: built and linked only (tests/test_real_boards.py).
BUILD_ONLY_BOARDS = ["nucleo-l4r5zi", "rp2040"]
# Models whose firmware cannot fit the board (flash: blob + vectors + code;
# RAM: arena + stack + data). The micro:bit has 256 KB flash and 16 KB RAM:
# kws (8,492-byte arena, 32,512-byte blob) fits; ad01's blob alone is 273,916
# bytes. The HiFive1 Rev B has 16 KB RAM: kws and ad01 (768) fit, vww (55,296)
# and resnet (49,152) do not.
DOES_NOT_FIT = {
    "microbit": {"vww_96_int8", "pretrainedResnet_quant", "ad01_int8"},
    "hifive1-revb": {"vww_96_int8", "pretrainedResnet_quant"},
}
NUM_VECTORS = 5
SCONS = str(Path(sys.executable).parent / "scons")


@functools.cache
def reference(name: str) -> tuple[bytes, bytes, HostReference]:
    """(tflite, blob, reference) for a model: 5 random vectors and their
    outputs from the host runtime, checked to equal TFLM's bit for bit."""
    tflite = model_path(name).read_bytes()
    blob = compile_tflite(tflite).blob
    return tflite, blob, host_reference(blob, NUM_VECTORS, seed=20240611, tflite=tflite)


@pytest.mark.cross
@pytest.mark.parametrize("board", BOARDS + BUILD_ONLY_BOARDS)
def test_library_builds_warning_free(board: str) -> None:
    require_tools(board)
    lib = f"build/{board}/libtinyrt.a"
    subprocess.run([SCONS, "-Q", f"board={board}", "-c", lib], cwd=ROOT, check=True, capture_output=True)
    proc = subprocess.run([SCONS, "-Q", "-j2", f"board={board}", lib], cwd=ROOT, capture_output=True, text=True)
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log
    assert "-Werror" in log and "warning" not in log.lower(), log
    assert (ROOT / lib).is_file()


@pytest.mark.cross
@pytest.mark.qemu
@pytest.mark.parametrize("model", MODEL_NAMES)
@pytest.mark.parametrize("board", BOARDS)
def test_model_bit_exact_under_qemu(board: str, model: str, tmp_path: Path) -> None:
    require_tools(board)
    tflite, blob, ref = reference(model)
    vectors, want = ref.vectors, ref.outputs
    if model in DOES_NOT_FIT.get(board, ()):
        mem = load_board(board)["memory"]
        with pytest.raises(FirmwareError, match=f"does not fit {board}") as err:
            build_firmware(board, tflite, vectors, tmp_path)
        msg = str(err.value)
        available = [f"{m['length']:,} bytes available" for m in mem.values()]
        assert any(a in msg for a in available), msg
        arena = compile_tflite(tflite).arena_bytes
        assert f"model blob {len(blob):,}" in msg or f"arena {arena:,}" in msg, msg
        assert not (tmp_path / "firmware.elf").exists()
        return
    t0 = time.monotonic()
    elf = build_firmware(board, tflite, vectors, tmp_path)
    t1 = time.monotonic()
    text = run_qemu(board, elf, timeout=90)
    print(f"{board} {model}: build {t1 - t0:.1f} s, QEMU {time.monotonic() - t1:.1f} s")
    got = parse_outputs(text)
    assert len(got) == len(vectors), text
    for i, (g, w) in enumerate(zip(got, want, strict=True)):
        assert g == w, f"{board} {model} vector {i}: QEMU {g.hex()} != host and TFLM {w.hex()}"


@pytest.mark.cross
@pytest.mark.qemu
def test_microbit_runs_a_small_model(tmp_path: Path) -> None:
    """A one-op model on the micro:bit (of the MLPerf Tiny models only kws
    fits): bit-exact against host and TFLM."""
    require_tools("microbit")
    from cases import make_case

    case = make_case("conv", 3)
    ref = host_reference(compile_tflite(case.model).blob, NUM_VECTORS, seed=7, tflite=case.model)
    got = parse_outputs(run_qemu("microbit", build_firmware("microbit", case.model, ref.vectors, tmp_path),
                                 timeout=60))
    assert got == ref.outputs, case.desc


def test_does_not_fit_is_checked_before_linking() -> None:
    with pytest.raises(FirmwareError, match=r"flash needs [\d,]+ bytes \(model blob 1,000,000 .* 262,144 bytes avail"):
        check_fit("microbit", 1_000_000, 0, 0)
    with pytest.raises(FirmwareError, match=r"RAM needs .*arena 20,000.* 16,384 bytes available"):
        check_fit("microbit", 1000, 20_000, 0)
    check_fit("microbit", 1000, 1000, 100)


def test_parse_outputs() -> None:
    assert parse_outputs("out 0 00ff\nout 1 \ndone\n") == [b"\x00\xff", b""]
    # Other lines (cycle counts, a UART's CR LF endings) are not outputs.
    assert parse_outputs("out 0 00ff\r\ncycles 0 1234\r\nout 1 01\ncycles 1 0\ndone\r\n") == [b"\x00\xff", b"\x01"]
    with pytest.raises(RuntimeError, match="done"):
        parse_outputs("out 0 00\n")
    with pytest.raises(RuntimeError, match="error trt_invoke"):
        parse_outputs("error trt_invoke: bad\n")
