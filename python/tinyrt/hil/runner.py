"""Run test vectors on one or more boards and keep every result.

    boards = [SerialBoard("/dev/ttyACM0"), QemuBoard("mps2-an386", elf)]
    summary = run_hil(boards, blob, RandomVectors(blob, 1000), "results.jsonl")

Each result is appended to the results file (one JSON object per line,
flushed and fsynced) as it arrives; a vector whose id is already in the file
is never run or written again, so an interrupted run resumes where it
stopped and no result is lost or counted twice. Vectors are shared out
through one queue: a board that stops answering is reset (its `reset()`),
handshaken again and continues; one that cannot be reset is dropped, and
its vector goes back to the queue for the others."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .client import HilClient, HilError, Info, LinkDead

# -- boards ---------------------------------------------------------------------


class Board:
    """Something with a serial link: open() gives a pyserial-like port,
    reset() restarts the board (raise HilError when it cannot)."""

    name = "board"

    def open(self) -> Any:
        raise NotImplementedError

    def reset(self) -> None:
        raise HilError(f"{self.name}: no way to reset this board")

    def close(self) -> None:
        pass


class SerialBoard(Board):
    """A board on a serial device (/dev/ttyACM0) or any pyserial URL
    (socket://host:port, rfc2217://...). reset(): `reset_cmd` when given
    (e.g. an openocd or picotool command), else a DTR/RTS pulse, which
    resets boards whose debug probe wires it (and does nothing on sockets)."""

    def __init__(self, url: str, baud: int = 115200, reset_cmd: str | None = None, name: str | None = None) -> None:
        self.url, self.baud, self.reset_cmd = url, baud, reset_cmd
        self.name = name or url
        self._port: Any = None

    def open(self) -> Any:
        import serial

        self._close_port()
        self._port = serial.serial_for_url(self.url, baudrate=self.baud, timeout=0.05, write_timeout=5)
        return self._port

    def reset(self) -> None:
        if self.reset_cmd:
            self.close()
            proc = subprocess.run(self.reset_cmd, shell=True, capture_output=True, text=True, timeout=120)
            if proc.returncode != 0:
                raise HilError(f"{self.name}: reset command failed ({proc.returncode}): {proc.stderr.strip()}")
            time.sleep(0.5)
            return
        if self._port is None or self.url.startswith("socket://"):
            raise HilError(f"{self.name}: no reset command (--reset-cmd) and no DTR/RTS line to pulse")
        self._port.dtr = self._port.rts = False
        time.sleep(0.1)
        self._port.dtr = self._port.rts = True
        time.sleep(0.5)

    def close(self) -> None:
        self._close_port()

    def _close_port(self) -> None:
        if self._port is not None:
            try:
                self._port.close()
            except Exception:  # noqa: BLE001 - a dead port closes as it can
                pass
            self._port = None


class QemuBoard(SerialBoard):
    """A QEMU board started here, its UART on a TCP socket that pyserial
    opens as socket://; reset() restarts QEMU."""

    def __init__(self, board: str, elf: str | Path, name: str | None = None) -> None:
        super().__init__("", name=name or f"{board} (QEMU)")
        self.board, self.elf = board, Path(elf)
        self.qemu: Any = None

    def open(self) -> Any:
        from ..target.qemu import Qemu

        if self.qemu is None:
            self.qemu = Qemu(self.board, self.elf, serial="tcp").start()
            self.url = f"socket://127.0.0.1:{self.qemu.port}"
            port = super().open()
            # A fresh boot: let the firmware finish its banner (its UART takes
            # no input before), so the first request is not held up.
            seen, deadline = b"", time.monotonic() + 10
            while b"m-ready\r\n" not in seen and time.monotonic() < deadline:
                seen += port.read(256)
            return port
        return super().open()

    def reset(self) -> None:
        self.close()

    def close(self) -> None:
        super().close()
        if self.qemu is not None:
            self.qemu.stop()
            self.qemu = None


# -- vectors -------------------------------------------------------------------


class Vectors:
    """Test vectors by id: ids() in run order, inputs(id) one array per model input."""

    def ids(self) -> list[str]:
        raise NotImplementedError

    def inputs(self, vid: str) -> list[np.ndarray]:
        raise NotImplementedError


class RandomVectors(Vectors):
    """`count` random inputs; vector i comes from numpy's default_rng([seed, i]),
    so any one of them can be made again on its own (resume)."""

    def __init__(self, blob: bytes, count: int, seed: int = 0) -> None:
        from ..native import Model

        self.infos = Model(blob).inputs
        self.count, self.seed = count, seed

    def ids(self) -> list[str]:
        return [f"random-{self.seed}-{i:06d}" for i in range(self.count)]

    def inputs(self, vid: str) -> list[np.ndarray]:
        from ..check import random_inputs

        return random_inputs(self.infos, np.random.default_rng([self.seed, int(vid.rsplit("-", 1)[1])]))


class NpyVectors(Vectors):
    """A folder of .npy files (one array: the model's only input) or .npz
    files (one array per input, in input order); the id is the file name."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.files = {p.name: p for p in sorted(self.folder.iterdir()) if p.suffix in (".npy", ".npz")}
        if not self.files:
            raise HilError(f"{self.folder}: no .npy or .npz files")

    def ids(self) -> list[str]:
        return list(self.files)

    def inputs(self, vid: str) -> list[np.ndarray]:
        path = self.files[vid]
        if path.suffix == ".npz":
            with np.load(path) as z:
                return [z[k] for k in z.files]
        return [np.load(path)]


def vector_bytes(inputs: Sequence[np.ndarray]) -> bytes:
    return b"".join(np.ascontiguousarray(x).tobytes() for x in inputs)


# -- results file ----------------------------------------------------------------


class ResultsFile:
    """JSON lines, one result per vector id, appended and fsynced as they
    arrive. Opening an existing file keeps its results (a partial last line,
    from a runner killed while writing, is cut off)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.records: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.path.exists():
            data = self.path.read_bytes()
            keep = data[: data.rfind(b"\n") + 1]
            if len(keep) != len(data):
                with open(self.path, "r+b") as f:
                    f.truncate(len(keep))
            for line in keep.decode().splitlines():
                if line.strip():
                    rec = json.loads(line)
                    self.records.setdefault(rec["id"], rec)
        self._f = open(self.path, "a")  # noqa: SIM115 - kept open for the run

    def add(self, rec: dict[str, Any]) -> bool:
        """Write one result; False (and nothing written) when its id is already there."""
        with self._lock:
            if rec["id"] in self.records:
                return False
            self._f.write(json.dumps(rec, separators=(",", ":")) + "\n")
            self._f.flush()
            os.fsync(self._f.fileno())
            self.records[rec["id"]] = rec
            return True

    def close(self) -> None:
        self._f.close()


# -- summary ---------------------------------------------------------------------


@dataclass
class BoardReport:
    name: str
    vectors: int = 0
    resets: int = 0
    retries: int = 0
    failed: str | None = None
    info: Info | None = None
    done: int = 0  # results of this board in the file (this run and earlier ones)
    cycles: float | None = None  # mean per inference over them
    us: float | None = None


@dataclass
class Summary:
    total: int
    done: int
    bit_exact: int
    mismatches: list[tuple[str, int]]  # (vector id, first differing output byte)
    missing: list[str]
    cycles: float | None  # mean cycles per inference (None: the boards count none)
    us: float | None  # mean microseconds per inference
    op_cycles: list[float]
    boards: list[BoardReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.done == self.total and self.bit_exact == self.total


def summarize(records: dict[str, dict[str, Any]], ids: Sequence[str], boards: list[BoardReport]) -> Summary:
    recs = [records[i] for i in ids if i in records]
    exact = sum(1 for r in recs if r["bit_exact"])
    mism = [(r["id"], r["first_diff"]) for r in recs if not r["bit_exact"]]
    cyc = [r["cycles"] / max(1, r["runs"]) for r in recs if r.get("cycles")]
    us = [r["us"] / max(1, r["runs"]) for r in recs if r.get("us") is not None]
    ops = [(r["op_cycles"], max(1, r["runs"])) for r in recs if r.get("op_cycles") and any(r["op_cycles"])]
    n_ops = max((len(o) for o, _ in ops), default=0)
    op_mean = [float(np.mean([o[k] / runs for o, runs in ops if k < len(o)])) for k in range(n_ops)]
    for b in boards:
        mine = [r for r in recs if r["board"] == b.name]
        b.done = len(mine)
        b.cycles = float(np.mean([r["cycles"] / max(1, r["runs"]) for r in mine])) if mine else None
        b.us = float(np.mean([r["us"] / max(1, r["runs"]) for r in mine])) if mine else None
    return Summary(len(ids), len(recs), exact, mism, [i for i in ids if i not in records],
                   float(np.mean(cyc)) if cyc else None, float(np.mean(us)) if us else None, op_mean, boards)


def first_diff(a: bytes, b: bytes) -> int | None:
    if a == b:
        return None
    return next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))


# -- the run ---------------------------------------------------------------------


def handshake(client: HilClient, blob: bytes, upload: bool = False, log: Callable[[str], None] = print) -> Info:
    """INFO, version and model-hash check; uploads the blob into the board's
    RAM slot when asked (`upload`) or when the board runs another model and
    has a slot. Raises HilError when the board cannot serve this model."""
    from ..target.firmware import tinyrt_version

    info = client.info()
    want = zlib.crc32(blob)
    if info.version != tinyrt_version():
        log(f"{info.board}: firmware tinyrt {info.version}, host tinyrt {tinyrt_version()}")
    if upload or info.model_hash != want:
        if not info.ram_slot_bytes:
            raise HilError(f"{info.board}: the board serves model hash {info.model_hash:08x}, this model is "
                           f"{want:08x}, and it has no RAM slot to upload it: flash the serve firmware built "
                           f"for this model")
        if len(blob) > info.ram_slot_bytes:
            raise HilError(f"{info.board}: blob of {len(blob):,} bytes exceeds its RAM slot of "
                           f"{info.ram_slot_bytes:,}")
        got = client.load_blob(blob)
        if got != want:
            raise HilError(f"{info.board}: uploaded blob hash {got:08x} != {want:08x}")
        info = client.info()
    return info


def run_hil(boards: Sequence[Board], blob: bytes, vectors: Vectors, results: str | Path, *,
            timeout: float = 1.0, retries: int = 5, max_resets: int = 2, upload: bool = False,
            progress: Callable[[int, int], None] | None = None, log: Callable[[str], None] | None = None,
            limit: int | None = None) -> Summary:
    """Run every vector of `vectors` not yet in the results file on `boards`
    (in parallel, one thread each) and return the summary of the file's
    results for these vectors. `limit`: stop after that many new results."""
    from ..native import Model

    log = log or (lambda _m: None)
    store = ResultsFile(results)
    ids = vectors.ids()
    todo: queue.Queue[str] = queue.Queue()
    for vid in ids:
        if vid not in store.records:
            todo.put(vid)
    reports = [BoardReport(b.name) for b in boards]
    state = {"inflight": 0, "new": 0}
    lock = threading.Lock()
    done_before = sum(1 for i in ids if i in store.records)
    if progress:
        progress(done_before, len(ids))

    def connect(board: Board, report: BoardReport) -> HilClient:
        client = HilClient(board.open(), timeout=timeout, retries=retries, log=lambda m: log(f"{board.name}: {m}"))
        client.timeout = max(timeout, 5.0)  # the first answer may wait for a boot
        report.info = handshake(client, blob, upload, lambda m: log(f"{board.name}: {m}"))
        client.timeout = timeout
        return client

    def take() -> str | None:
        while True:
            with lock:
                if limit is not None and state["new"] >= limit:
                    return None
                try:
                    vid = todo.get_nowait()
                    state["inflight"] += 1
                    return vid
                except queue.Empty:
                    if state["inflight"] == 0:
                        return None
            time.sleep(0.05)

    def worker(board: Board, report: BoardReport) -> None:
        host = Model(blob)
        client: HilClient | None = None
        while True:
            vid = None
            phase = "connect"
            try:
                if client is None:
                    client = connect(board, report)
                phase = "run"
                vid = take()
                if vid is None:
                    break
                inputs = vectors.inputs(vid)
                res = client.run(vector_bytes(inputs))
                want = b"".join(np.ascontiguousarray(y).tobytes() for y in host.run(inputs))
                rec = {"id": vid, "board": board.name, "bit_exact": res.output == want,
                       "first_diff": first_diff(res.output, want), "output": res.output.hex(),
                       "expected": want.hex(), "runs": res.runs, "cycles": res.cycles, "us": res.us,
                       "op_cycles": res.op_cycles, "time": round(time.time(), 3)}
                with lock:
                    state["inflight"] -= 1
                    if store.add(rec):
                        state["new"] += 1
                        report.vectors += 1
                        n = sum(1 for i in ids if i in store.records)
                    else:
                        n = -1
                if progress and n >= 0:
                    progress(n, len(ids))
            except (HilError, OSError, Exception) as e:  # noqa: B014 - serial errors are OSErrors, others too
                if vid is not None:
                    with lock:
                        state["inflight"] -= 1
                        todo.put(vid)
                if phase == "connect" and isinstance(e, HilError) and not isinstance(e, LinkDead):
                    report.failed = str(e)  # wrong model, refused upload: a reset will not help
                    log(f"{board.name}: {e}")
                    break
                if client is not None:
                    report.retries += client.stats.retries
                client = None
                if report.resets >= max_resets:
                    report.failed = f"{type(e).__name__}: {e}"
                    log(f"{board.name}: giving up: {report.failed}")
                    break
                report.resets += 1
                log(f"{board.name}: {type(e).__name__}: {e}; resetting the board ({report.resets}/{max_resets})")
                try:
                    board.reset()
                except Exception as r:  # noqa: BLE001 - any failure to reset ends this board
                    report.failed = f"reset failed: {r}"
                    log(f"{board.name}: {report.failed}")
                    break
        if client is not None:
            report.retries += client.stats.retries
        board.close()

    threads = [threading.Thread(target=worker, args=(b, r), daemon=True) for b, r in zip(boards, reports, strict=True)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            while t.is_alive():
                t.join(0.2)
    finally:
        store.close()
    return summarize(store.records, ids, reports)
