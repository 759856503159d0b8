"""Hardware in the loop: the serve firmware (boards/common/serve_main.c) and
the runner (tinyrt.hil) over a real serial link: pyserial on the TCP socket
of QEMU mps2-an386 and riscv32-virt, or, with `pytest --hil-port PORT
--hil-board B`, a physical board flashed with the serve firmware of
kws_ref_model. The fault tests put a damaging relay (hil_proxy.py) between
the runner and QEMU and check that no result is lost or counted twice."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import zlib
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from conftest import ROOT, model_path, require_tools
from hil_proxy import Faults, Proxy, Stall

pytestmark = [pytest.mark.hil, pytest.mark.qemu, pytest.mark.cross]

BOARDS = ["mps2-an386", "riscv32-virt"]


# -- set-up ----------------------------------------------------------------------


def board_blob(path: Path, board: str) -> bytes:
    """The blob a serve firmware for `board` holds: the board's kernel variants."""
    from tinyrt.compiler import compile_tflite
    from tinyrt.target.boards import kernel_dirs

    return compile_tflite(path.read_bytes(), kernels=kernel_dirs(board)).blob


@pytest.fixture(scope="module")
def kws() -> tuple[Path, bytes]:
    """kws and the blob of mps2-an386's serve firmware (the runner's board below)."""
    path = model_path("kws_ref_model")
    return path, board_blob(path, "mps2-an386")


_ELVES: dict[str, Path] = {}


def serve_elf(board: str, model: Path) -> Path:
    """The serve firmware of `model` for `board` (built once per session)."""
    from tinyrt.hil.cli import build_serve

    require_tools(board)
    if board not in _ELVES:
        _ELVES[board] = build_serve(board, str(model))
    return _ELVES[board]


def physical(config: pytest.Config) -> list[str]:
    return list(config.getoption("--hil-port") or [])


def boards_for(request: pytest.FixtureRequest, board: str, model: Path) -> list[Any]:
    """The board under test: the --hil-port one (for its --hil-board
    parameter only), else `board` under QEMU."""
    from tinyrt.hil.runner import QemuBoard, SerialBoard

    ports = physical(request.config)
    if ports:
        want = request.config.getoption("--hil-board")
        if want and want != board and board != BOARDS[0]:
            pytest.skip(f"--hil-port runs the tests once, on {want}")
        return [SerialBoard(p) for p in ports]
    return [QemuBoard(board, serve_elf(board, model))]


def qemu_only(request: pytest.FixtureRequest) -> None:
    if physical(request.config):
        pytest.skip("fault injection needs the QEMU board behind a relay")


class ProxiedQemu:
    """A QEMU board seen through a damaging relay. reset() restarts QEMU
    behind a clean relay, or fails when `resettable` is False."""

    def __init__(self, elf: Path, up: Any = None, down: Any = None, resettable: bool = True,
                 name: str = "proxied") -> None:
        from tinyrt.hil.runner import SerialBoard

        self.elf, self.up, self.down, self.resettable = elf, up, down, resettable
        self.name = name
        self.qemu: Any = None
        self.proxy: Proxy | None = None
        self.serial = SerialBoard("", name=name)

    def open(self) -> Any:
        from tinyrt.target.qemu import Qemu

        if self.qemu is None:
            self.qemu = Qemu("mps2-an386", self.elf, serial="tcp").start()
            self.proxy = Proxy(self.qemu.port, self.up, self.down)
            self.serial.url = f"socket://127.0.0.1:{self.proxy.port}"
            port = self.serial.open()
            seen, deadline = b"", time.monotonic() + 10
            while b"m-ready\r\n" not in seen and time.monotonic() < deadline:
                seen += port.read(256)
            self.proxy.active = True  # damage starts after the boot banner
            return port
        return self.serial.open()

    def reset(self) -> None:
        from tinyrt.hil.client import HilError

        if not self.resettable:
            raise HilError(f"{self.name}: cannot be reset")
        self.close()
        self.up = self.down = None

    def close(self) -> None:
        self.serial.close()
        if self.proxy is not None:
            self.proxy.close()
            self.proxy = None
        if self.qemu is not None:
            self.qemu.stop()
            self.qemu = None


def read_results(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def check_complete(path: Path, n: int) -> list[dict[str, Any]]:
    """Exactly one bit-exact result per vector: none lost, none twice."""
    recs = read_results(path)
    ids = [r["id"] for r in recs]
    assert len(ids) == len(set(ids)), "a vector was written twice"
    assert sorted(ids) == [f"random-0-{i:06d}" for i in range(n)], "a vector is missing"
    assert all(r["bit_exact"] for r in recs), [r["id"] for r in recs if not r["bit_exact"]]
    return recs


# -- the runner on a board ---------------------------------------------------------


@pytest.mark.parametrize("board", BOARDS)
def test_kws_random_vectors_bit_exact(board: str, kws: tuple[Path, bytes], tmp_path: Path,
                                      request: pytest.FixtureRequest) -> None:
    from tinyrt.hil.runner import RandomVectors, run_hil

    path, _ = kws
    blob = board_blob(path, board)
    boards = boards_for(request, board, path)
    t0 = time.monotonic()
    summary = run_hil(boards, blob, RandomVectors(blob, 200), tmp_path / "r.jsonl")
    elapsed = time.monotonic() - t0
    assert summary.ok, summary
    assert summary.bit_exact == 200 and not summary.mismatches and not summary.missing
    recs = check_complete(tmp_path / "r.jsonl", 200)
    assert all(len(r["op_cycles"]) == 13 and r["us"] > 0 for r in recs)
    info = summary.boards[0].info
    assert info is not None and info.model_hash == zlib.crc32(blob) and info.model_id == "kws01"
    print(f"{board}: 200 vectors in {elapsed:.1f} s")


# -- MLPerf Tiny DUT mode ----------------------------------------------------------


@pytest.mark.parametrize("board", BOARDS)
def test_dut_mode_scripted_session(board: str, kws: tuple[Path, bytes], request: pytest.FixtureRequest) -> None:
    from tinyrt.hil.client import HilClient
    from tinyrt.hil.dut import DutClient, results_line
    from tinyrt.native import Model

    path, _ = kws
    blob = board_blob(path, board)
    (target,) = boards_for(request, board, path)[:1]
    port = target.open()
    try:
        dut = DutClient(port)
        if physical(request.config):
            HilClient(port, timeout=2).dut_mode()  # a running board: switch it over
        # (QemuBoard.open() has read the boot banner: test_dut_boot_lines checks it.)
        assert dut.command("name") == ["m-name-dut-[tinyrt]"]
        prof = dut.command("profile")
        assert len(prof) == 2 and re.fullmatch(r"m-profile-\[[0-9][^\]]*\]", prof[0]) and prof[1] == "m-model-[kws01]"
        assert re.fullmatch(r"m-lap-us-\d+", dut.command("timestamp")[0])
        assert dut.command("db load 100000")[0].startswith("e-[")
        host = Model(blob)
        x = np.random.default_rng(7).integers(-128, 128, size=host.inputs[0].shape, dtype=np.int8)
        data = x.tobytes()
        assert dut.command(f"db load {len(data)}") == [f"m-[Expecting {len(data)} bytes]"]
        lines: list[str] = []
        for off in range(0, len(data), 32):
            chunk = data[off : off + 32]
            hexed = chunk.hex() if off % 64 else chunk.hex().upper()  # hex digits in either case
            lines += dut.command("db " + hexed)
        assert lines == ["m-load-done"]
        printed = dut.command("db print")
        assert all(re.fullmatch(r"m-buffer(-[0-9a-f]{2})+", ln) for ln in printed)
        assert bytes.fromhex("".join(ln[len("m-buffer-"):].replace("-", "") for ln in printed)) == data
        assert dut.command("db print 4 2") == ["m-buffer-" + "-".join(f"{b:02x}" for b in data[2:6])]
        infer = dut.command("infer 5 1", timeout=60)
        assert len(infer) == 7, infer
        assert infer[:3] == ["m-warmup-start-1", "m-warmup-done", "m-infer-start-5"]
        laps = [re.fullmatch(r"m-lap-us-(\d+)", ln) for ln in infer[3:5]]
        assert all(laps) and int(laps[1].group(1)) > int(laps[0].group(1)), infer  # type: ignore[union-attr]
        assert infer[5] == "m-infer-done"
        want = results_line(host.run([x]), [_spec(host.outputs[0])])
        assert infer[6] == want
        assert re.fullmatch(r"m-results-\[-?\d+\.\d{3}(,-?\d+\.\d{3})*\]", want)
        assert dut.command("results") == [want]
        assert dut.command("bogus") == ["e-[Unknown command: bogus]"]
        assert dut.command("x" * 80)[0].startswith("e-[")
    finally:
        target.close()


def _spec(info: Any) -> Any:
    from tinyrt.hil.client import TensorSpec

    return TensorSpec(1, tuple(info.shape), int(np.prod(info.shape)), info.scale, info.zero_point)


@pytest.mark.parametrize("board", BOARDS)
def test_dut_boot_lines(board: str, kws: tuple[Path, bytes], request: pytest.FixtureRequest) -> None:
    """On boot: m-timestamp-mode-performance, m-lap-us-<n>, m-init-done, m-ready."""
    import serial

    from tinyrt.target.qemu import Qemu

    qemu_only(request)
    elf = serve_elf(board, kws[0])
    with Qemu(board, elf, serial="tcp") as q:
        port = serial.serial_for_url(f"socket://127.0.0.1:{q.port}", timeout=0.05)
        from tinyrt.hil.dut import DutClient

        lines = DutClient(port).boot()
        port.close()
    assert len(lines) == 3 and lines[0] == "m-timestamp-mode-performance" and lines[2] == "m-init-done"
    assert re.fullmatch(r"m-lap-us-\d+", lines[1])


# -- a model uploaded into RAM -------------------------------------------------------


@pytest.mark.parametrize("board", BOARDS)
def test_ram_upload_runs_and_corrupt_upload_is_refused(board: str, kws: tuple[Path, bytes],
                                                       request: pytest.FixtureRequest) -> None:
    from tinyrt.compiler import compile_tflite
    from tinyrt.hil.client import HilClient, NakError
    from tinyrt.native import Model

    path, _ = kws
    blob = board_blob(path, board)
    other = compile_tflite(path.read_bytes(), inplace=False).blob  # another blob: out-of-place kernels
    assert other != blob
    (target,) = boards_for(request, board, path)[:1]
    client = HilClient(target.open(), timeout=2)
    try:
        info = client.info()
        if not info.ram_slot_bytes:
            pytest.skip(f"{info.board} has no RAM slot")
        rng = np.random.default_rng(3)
        host = Model(other)
        assert client.load_blob(other) == zlib.crc32(other)
        assert client.info().slot == 1 and client.info().model_hash == zlib.crc32(other)
        xs = [rng.integers(-128, 128, size=host.inputs[0].shape, dtype=np.int8) for _ in range(5)]
        for x in xs:
            assert client.run(x.tobytes()).output == host.run([x])[0].tobytes()
        bad = bytearray(other)
        bad[len(bad) // 2] ^= 0x10
        with pytest.raises(NakError, match="trt_model_init: blob checksum mismatch"):
            client.load_blob(bytes(bad))
        with pytest.raises(NakError, match="does not fit the RAM slot"):
            client.request(__import__("tinyrt.hil.framing", fromlist=["T"]).T.LOAD_BEGIN,
                           (info.ram_slot_bytes + 1).to_bytes(4, "little") + bytes(4))
        # Still serving: the flash model, bit-exact.
        info = client.info()
        assert info.slot == 0 and info.model_hash == zlib.crc32(blob)
        flash = Model(blob)
        for x in xs[:2]:
            assert client.run(x.tobytes()).output == flash.run([x])[0].tobytes()
    finally:
        target.close()


# -- link faults --------------------------------------------------------------------


# A fault every `every` bytes or so towards the board (a vector sends ~700
# bytes there), every every/3 back (~200 bytes per vector): one request or
# reply in three to five is damaged.
@pytest.mark.parametrize("kind,every", [("garbage", 1500), ("drop", 1500), ("flip", 1500)])
def test_link_faults_lose_nothing(kind: str, every: int, kws: tuple[Path, bytes], tmp_path: Path,
                                  request: pytest.FixtureRequest) -> None:
    from tinyrt.hil.runner import RandomVectors, run_hil

    qemu_only(request)
    path, blob = kws
    up, down = Faults(kind, every, seed=1), Faults(kind, every // 3, seed=2)
    board = ProxiedQemu(serve_elf("mps2-an386", path), up=up, down=down)
    summary = run_hil([board], blob, RandomVectors(blob, 40), tmp_path / "r.jsonl", timeout=0.5, retries=8)
    check_complete(tmp_path / "r.jsonl", 40)
    assert summary.ok and summary.bit_exact == 40 and summary.done == 40
    assert up.count >= 5 and down.count >= 5, (up.count, down.count)
    # Recovered by retries alone: the board was never reset.
    assert summary.boards[0].retries > 0 and summary.boards[0].resets == 0


def test_stalled_board_is_reset_and_the_run_completes(kws: tuple[Path, bytes], tmp_path: Path,
                                                      request: pytest.FixtureRequest) -> None:
    from tinyrt.hil.runner import RandomVectors, run_hil

    qemu_only(request)
    path, blob = kws
    stall = Stall(after=3000)  # replies: ~60 bytes per vector, so mid-run
    board = ProxiedQemu(serve_elf("mps2-an386", path), down=stall)
    summary = run_hil([board], blob, RandomVectors(blob, 40), tmp_path / "r.jsonl", timeout=0.3, retries=3)
    assert stall.stalled
    check_complete(tmp_path / "r.jsonl", 40)
    assert summary.ok and summary.boards[0].resets == 1 and not summary.boards[0].failed


def test_two_boards_one_failing(kws: tuple[Path, bytes], tmp_path: Path, request: pytest.FixtureRequest) -> None:
    from tinyrt.hil.runner import QemuBoard, RandomVectors, run_hil

    qemu_only(request)
    path, blob = kws
    elf = serve_elf("mps2-an386", path)
    good = QemuBoard("mps2-an386", elf, name="good")
    bad = ProxiedQemu(elf, down=Stall(after=1500), resettable=False, name="bad")
    summary = run_hil([good, bad], blob, RandomVectors(blob, 40), tmp_path / "r.jsonl", timeout=0.3, retries=2)
    recs = check_complete(tmp_path / "r.jsonl", 40)
    assert summary.ok
    g, b = summary.boards
    assert b.failed and "cannot be reset" in b.failed and not g.failed
    assert g.vectors + b.vectors == 40 and b.vectors > 0
    assert {r["board"] for r in recs} == {"good", "bad"}


def test_killed_runner_resumes_from_its_results_file(kws: tuple[Path, bytes], tmp_path: Path,
                                                     request: pytest.FixtureRequest) -> None:
    """`tinyrt hil --port socket://...` killed (SIGKILL) mid-run, then run
    again: it resumes, and the file ends with each vector exactly once."""
    from tinyrt.target.qemu import Qemu

    qemu_only(request)
    path, blob = kws
    results = tmp_path / "r.jsonl"
    n = 60
    with Qemu("mps2-an386", serve_elf("mps2-an386", path), serial="tcp") as q:
        cmd = [sys.executable, "-c", "import sys; from tinyrt.cli import main; sys.exit(main(sys.argv[1:]))",
               "hil", "--port", f"socket://127.0.0.1:{q.port}", "--model", str(path), "--vectors", str(n),
               "--results", str(results)]
        env = {**os.environ, "PYTHONPATH": str(ROOT / "python")}
        proc = subprocess.Popen(cmd, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and proc.poll() is None:
                if results.exists() and results.read_text().count("\n") >= 15:
                    break
                time.sleep(0.05)
            assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
            os.kill(proc.pid, signal.SIGKILL)
        finally:
            proc.wait(10)
        first = read_results(results)
        assert 15 <= len(first) < n and len({r["id"] for r in first}) == len(first)
        again = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
        assert again.returncode == 0, again.stdout + again.stderr
        assert f"bit-exact vs host runtime: {n}/{n}" in again.stdout
    recs = check_complete(results, n)
    assert recs[: len(first)] == first, "results of the first run were rewritten"


def test_frames_round_trip_and_resynchronise() -> None:
    """Host side of the framing: COBS + CRC-32; garbage, a damaged frame and
    an oversize run between delimiters each give one error, and the next
    frame decodes."""
    from tinyrt.hil.framing import MAX_PAYLOAD, Decoder, Frame, FrameError, T, encode

    payload = bytes(range(256))[:MAX_PAYLOAD]
    wire = encode(T.SET_INPUT, 7, payload)
    assert wire[0] == 0 and wire[-1] == 0 and b"\0" not in wire[1:-1]
    dec = Decoder()
    damaged = bytearray(wire)
    damaged[50] ^= 4
    got = dec.feed(b"m-ready\r\n" + bytes(damaged) + b"\x01" * 2000 + wire[:30])
    got += dec.feed(wire[30:])
    assert [type(g) for g in got] == [FrameError, FrameError, FrameError, Frame]
    assert got[-1] == Frame(T.SET_INPUT, 7, payload)
    with pytest.raises(ValueError):
        encode(T.SET_INPUT, 1, bytes(MAX_PAYLOAD + 1))
