"""`tinyrt build` (scons board=B model=M) and `tinyrt qemu`: firmware built
from a model in one command, links only that model's kernels, runs under
QEMU bit-exact with the host; QEMU's serial port on a pty or a TCP socket,
exit statuses and timeouts end QEMU cleanly."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import pytest

from conftest import ROOT, board_tool, host_reference, model_path, require_tools
from tinyrt.cli import main
from tinyrt.compiler import compile_tflite
from tinyrt.target.boards import load_board
from tinyrt.target.firmware import build_firmware, parse_outputs, scons_command, write_sources
from tinyrt.target.qemu import Qemu, QemuError

KWS_KERNELS = {"trt_conv_s8", "trt_conv1x1_s8_inplace", "trt_dwconv_s8_inplace", "trt_fc_s8", "trt_avgpool_s8",
               "trt_softmax_s8"}
OTHER_KERNELS = {"trt_dwconv_s8", "trt_maxpool_s8", "trt_add_s8", "trt_quantize_f32_s8", "trt_requantize_s8",
                 "trt_dequantize_s8_f32"}
# A board with the DSP instructions runs kws's convolutions and pooling with
# the arm_dsp kernels, and links those instead (its small fully connected
# layer keeps the reference: variants.MIN_SIZE).
DSP_SWAP = {"trt_conv_s8": "trt_conv_s8_dsp", "trt_conv1x1_s8_inplace": "trt_conv_s8_dsp",
            "trt_dwconv_s8_inplace": "trt_dwconv_s8_dsp_3x3_inplace", "trt_avgpool_s8": "trt_avgpool_s8_dsp"}


def symbols(board: str, elf: Path) -> set[str]:
    out = subprocess.run([board_tool(board, "nm"), str(elf)], capture_output=True, text=True, check=True).stdout
    return {ln.split()[-1] for ln in out.splitlines() if ln.strip()}


@pytest.mark.cross
@pytest.mark.parametrize("board", ["mps2-an386", "riscv32-virt"])
def test_build_links_only_the_model_kernels(board: str, capsys: pytest.CaptureFixture[str]) -> None:
    require_tools(board)
    kws = model_path("kws_ref_model")
    assert main(["build", str(kws), "--board", board, "--vectors", "2"]) == 0
    elf = ROOT / "build" / board / "fw" / "kws_ref_model" / "firmware.elf"
    assert f"wrote {elf}" in capsys.readouterr().out
    syms = symbols(board, elf)
    dsp = "arm_dsp" in load_board(board)["kernel_dirs"]
    linked = {DSP_SWAP.get(k, k) for k in KWS_KERNELS} if dsp else KWS_KERNELS
    unlinked = OTHER_KERNELS | (set(DSP_SWAP) if dsp else set())
    assert linked <= syms, linked - syms
    assert not unlinked & syms, unlinked & syms


@pytest.mark.cross
@pytest.mark.qemu
@pytest.mark.parametrize("board", ["mps2-an386", "riscv32-virt"])
def test_qemu_runs_a_model_bit_exact(board: str, capsys: pytest.CaptureFixture[str]) -> None:
    require_tools(board)
    assert main(["qemu", str(model_path("kws_ref_model")), "--board", board, "--vectors", "3"]) == 0
    assert f"kws_ref_model.tflite on {board} (QEMU): 3 vectors, bit-exact vs host runtime: 3/3" in \
        capsys.readouterr().out


@pytest.mark.cross
@pytest.mark.qemu
@pytest.mark.parametrize("board", ["mps2-an386", "riscv32-virt"])
def test_qemu_runs_data_movement_bit_exact(board: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """COPY (strided copies, negative strides, fills) on Cortex-M4 and RV32."""
    from models import movement_model

    require_tools(board)
    model = tmp_path / "movement.tflite"
    model.write_bytes(movement_model())
    assert main(["qemu", str(model), "--board", board, "--vectors", "3"]) == 0
    assert f"movement.tflite on {board} (QEMU): 3 vectors, bit-exact vs host runtime: 3/3" in \
        capsys.readouterr().out


@pytest.mark.cross
@pytest.mark.qemu
@pytest.mark.parametrize("board", ["mps2-an386", "riscv32-virt"])
def test_qemu_runs_every_op_bit_exact(board: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """all_ops_model: every op and kernel variant (LUT, PRELU,
    SQUARED_DIFFERENCE, element-wise ops in place...) cross-compiled."""
    from models import all_ops_model

    require_tools(board)
    model = tmp_path / "all_ops.tflite"
    model.write_bytes(all_ops_model())
    assert main(["qemu", str(model), "--board", board, "--vectors", "5"]) == 0
    assert f"all_ops.tflite on {board} (QEMU): 5 vectors, bit-exact vs host runtime: 5/5" in capsys.readouterr().out


@pytest.mark.cross
def test_build_refuses_a_model_that_does_not_fit(capsys: pytest.CaptureFixture[str]) -> None:
    require_tools("microbit")
    assert main(["build", str(model_path("vww_96_int8")), "--board", "microbit"]) == 2
    out = " ".join(capsys.readouterr().err.split())  # errors: one line on stderr
    assert "model does not fit microbit" in out and "262,144 bytes available" in out


def _firmware(tmp_path: Path, corrupt: bool = False) -> Path:
    """The test firmware of a small model, linked with `scons firmware=`;
    `corrupt`: its blob's last byte flipped, so the CRC no longer matches."""
    from cases import make_case

    blob = compile_tflite(make_case("conv", 1).model).blob
    vectors = host_reference(blob, 1).vectors
    if corrupt:
        blob = blob[:-1] + bytes([blob[-1] ^ 1])
    write_sources(blob, vectors, tmp_path)
    subprocess.run(scons_command("board=mps2-an386", f"firmware={tmp_path}"), cwd=ROOT, check=True,
                   capture_output=True)
    return tmp_path / "firmware.elf"


@pytest.mark.cross
@pytest.mark.qemu
def test_qemu_exit_status_is_the_firmware_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    require_tools("mps2-an386")
    good = _firmware(tmp_path / "good")
    assert main(["qemu", str(good), "--board", "mps2-an386", "--timeout", "30"]) == 0
    out = capsys.readouterr().out
    assert "out 0 " in out and out.rstrip().endswith("done")
    bad = _firmware(tmp_path / "bad", corrupt=True)
    assert main(["qemu", str(bad), "--board", "mps2-an386", "--timeout", "30"]) == 1
    assert "error trt_model_init: blob checksum mismatch" in capsys.readouterr().out


@pytest.mark.cross
@pytest.mark.qemu
def test_qemu_tcp_serial_waits_for_the_runner(tmp_path: Path) -> None:
    """With --serial tcp QEMU listens and holds the guest until a client
    connects, so the runner cannot miss its first bytes."""
    require_tools("mps2-an386")
    elf = _firmware(tmp_path)
    with Qemu("mps2-an386", elf, serial="tcp") as q:
        time.sleep(1.0)
        assert q.returncode is None and q.output == "", "the guest ran before anyone connected"
        with socket.create_connection(("127.0.0.1", q.port), timeout=10):
            assert q.wait(timeout=30) == 0
        assert "done" in q.output.split()


@pytest.mark.cross
@pytest.mark.qemu
def test_qemu_pty_serial_and_timeout(tmp_path: Path) -> None:
    """A pty serial port appears as a device; a run that does not end within
    its timeout is stopped and reaped, with a message saying so."""
    require_tools("mps2-an386")
    elf = _firmware(tmp_path)
    q = Qemu("mps2-an386", elf, serial="pty").start()
    try:
        assert q.pty is not None and q.pty.startswith("/dev/pts/"), q.stderr
        assert q.wait(timeout=30) == 0
    finally:
        q.stop()
    # Held by an unconnected TCP serial port, the guest never ends.
    q = Qemu("mps2-an386", elf, serial="tcp").start()
    with pytest.raises(QemuError, match="did not exit within 1 s"):
        q.wait(timeout=1)
    assert q._proc is not None and q._proc.poll() is not None


def test_qemu_refuses_unknown_firmware_and_board(tmp_path: Path) -> None:
    with pytest.raises(QemuError, match="no such firmware ELF"):
        Qemu("mps2-an386", tmp_path / "missing.elf")
    (tmp_path / "x.elf").write_bytes(b"\x7fELF")
    with pytest.raises(QemuError, match="has no QEMU machine"):
        Qemu("host", tmp_path / "x.elf")


@pytest.mark.cross
@pytest.mark.qemu
def test_uart_over_tcp_carries_the_results(tmp_path: Path) -> None:
    """hifive1-revb prints through its real UART driver: a runner on the TCP
    serial port reads every result line, bit-exact with the host."""
    from cases import make_case

    require_tools("hifive1-revb")
    compiled = compile_tflite(make_case("conv", 2).model)
    ref = host_reference(compiled.blob, 3)
    elf = build_firmware("hifive1-revb", compiled, ref.vectors, tmp_path)
    with Qemu("hifive1-revb", elf, serial="tcp") as q, \
            socket.create_connection(("127.0.0.1", q.port), timeout=10) as sock:
        data, deadline = b"", time.monotonic() + 30
        while b"done" not in data and time.monotonic() < deadline:
            data += sock.recv(4096)
    assert parse_outputs(data.decode()) == ref.outputs
