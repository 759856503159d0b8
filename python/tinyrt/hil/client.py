"""Client of the binary protocol over a pyserial port (or anything with
read(n) / write(b) / reset_input_buffer()).

Every request is retried on a timeout, on a NAK for a damaged frame and on a
damaged reply; the board answers a repeated request (same seq, same bytes)
with its cached reply instead of running it twice, so a retry is always safe.
A board that does not answer after `retries` attempts raises LinkDead."""

from __future__ import annotations

import struct
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .framing import MAX_PAYLOAD, NAK_SEQ_UNKNOWN, REPLY, TRANSIENT, Decoder, Frame, FrameError, T, encode

CHUNK = MAX_PAYLOAD - 16  # data bytes per SET_INPUT / LOAD_DATA frame


class HilError(RuntimeError):
    pass


class NakError(HilError):
    """The board refused a request, with its reason."""

    def __init__(self, code: int, req_type: int, reason: str) -> None:
        self.code, self.req_type, self.reason = code, req_type, reason
        super().__init__(f"board refused {T(req_type).name if req_type in T._value2member_map_ else req_type}: "
                         f"{reason}")


class LinkDead(HilError):
    """No valid answer after every retry: the board needs a reset."""


@dataclass(frozen=True)
class TensorSpec:
    type: int  # trt_type_t: 1 int8, 2 int32, 3 float32, 4 int16
    dims: tuple[int, ...]
    bytes: int
    scale: float
    zero_point: int


@dataclass
class Info:
    proto: int
    slot: int
    max_payload: int
    model_hash: int
    blob_len: int
    arena_bytes: int
    ram_slot_bytes: int
    ram_arena_bytes: int
    io_bytes: int
    clock_hz: int
    model_status: int
    n_ops: int
    n_inputs: int
    n_outputs: int
    input_bytes: int
    output_bytes: int
    board: str
    version: str
    model_id: str
    inputs: list[TensorSpec] = field(default_factory=list)
    outputs: list[TensorSpec] = field(default_factory=list)


@dataclass
class Result:
    output: bytes
    runs: int
    cycles: int  # board_cycles() over all runs (0 where the board has no counter)
    us: int  # board_time_us() over all runs
    op_cycles: list[int]


@dataclass
class Stats:
    requests: int = 0
    retries: int = 0
    naks: int = 0
    bad_frames: int = 0


class HilClient:
    def __init__(self, port: Any, timeout: float = 1.0, retries: int = 6,
                 log: Callable[[str], None] | None = None) -> None:
        self.port = port
        self.timeout = timeout
        self.retries = retries
        self.log = log or (lambda _msg: None)
        self.stats = Stats()
        self._dec = Decoder()
        self._seq = int(time.monotonic_ns() % 255)

    # -- transport -----------------------------------------------------------
    def _next_seq(self) -> int:
        self._seq = (self._seq + 1) % NAK_SEQ_UNKNOWN  # 0..254: 0xFF is "unknown" in NAKs
        return self._seq

    def _read_frames(self, deadline: float) -> list[Frame | FrameError]:
        while time.monotonic() < deadline:
            data = self.port.read(max(1, getattr(self.port, "in_waiting", 0) or 1))
            if data:
                more = getattr(self.port, "in_waiting", 0)
                if more:
                    data += self.port.read(more)
                got = self._dec.feed(data)
                if got:
                    return got
        return []

    def request(self, type_: T, payload: bytes = b"", timeout: float | None = None) -> bytes:
        """Send one request and return its reply payload (retrying as above)."""
        seq = self._next_seq()
        wire = encode(type_, seq, payload)
        self.stats.requests += 1
        wait = timeout or self.timeout
        for attempt in range(self.retries + 1):
            if attempt:
                self.stats.retries += 1
            self.port.write(wire)
            deadline = time.monotonic() + wait
            resend = False
            while not resend and time.monotonic() < deadline:
                for item in self._read_frames(deadline):
                    if isinstance(item, FrameError):
                        # A damaged frame: maybe our reply. Ask again (the board
                        # answers a repeat from its cache).
                        self.stats.bad_frames += 1
                        resend = True
                        continue
                    nak = item.nak
                    if nak is not None:
                        code, req, reason = nak
                        self.stats.naks += 1
                        if code in TRANSIENT:
                            self.log(f"NAK {reason} (seq {item.seq})")
                            resend = True
                        elif item.seq == seq and req == type_:
                            raise NakError(code, req, reason)
                        continue
                    if item.seq == seq and item.type == (type_ | REPLY):
                        return item.payload
                    # a stale reply to an earlier (retried) request: ignore
            if not resend:
                self.log(f"timeout waiting for {type_.name} (seq {seq}), attempt {attempt + 1}")
        raise LinkDead(f"no answer to {type_.name} after {self.retries + 1} attempts")

    # -- requests --------------------------------------------------------------
    def info(self) -> Info:
        p = self.request(T.INFO)
        fixed = struct.Struct("<BBHIIIIIIIiHBBII")
        vals = list(fixed.unpack_from(p))
        pos = fixed.size
        strings = []
        for _ in range(3):
            n = p[pos]
            strings.append(p[pos + 1 : pos + 1 + n].decode(errors="replace"))
            pos += 1 + n
        info = Info(*vals, *strings)
        info.inputs = [self.tensor(False, i) for i in range(info.n_inputs)]
        info.outputs = [self.tensor(True, i) for i in range(info.n_outputs)]
        return info

    def tensor(self, output: bool, index: int) -> TensorSpec:
        p = self.request(T.TENSOR, bytes([int(output), index]))
        type_, rank = p[0], p[1]
        dims = struct.unpack_from("<4i", p, 2)[:rank]
        nbytes, scale, zp = struct.unpack_from("<Ifi", p, 18)
        return TensorSpec(type_, tuple(dims), nbytes, scale, zp)

    def set_input(self, data: bytes) -> None:
        for off in range(0, len(data), CHUNK):
            self.request(T.SET_INPUT, struct.pack("<I", off) + data[off : off + CHUNK])

    def invoke(self, count: int = 1, timeout: float | None = None) -> tuple[int, int, int]:
        """(runs, cycles, microseconds) of `count` inferences."""
        p = self.request(T.INVOKE, struct.pack("<I", count), timeout=timeout or max(self.timeout, 5.0))
        runs, cycles, us = struct.unpack_from("<III", p)
        return runs, cycles, us

    def read_output(self) -> bytes:
        out, total, off = b"", None, 0
        while total is None or off < total:
            p = self.request(T.READ_OUTPUT, struct.pack("<IH", off, CHUNK))
            got_off, total = struct.unpack_from("<II", p)
            data = p[8:]
            if got_off != off or (not data and off < total):
                raise HilError(f"read output: asked offset {off}, got {got_off} with {len(data)} bytes")
            out += data
            off += len(data)
        return out

    def read_cycles(self) -> tuple[int, int, int, list[int]]:
        """(runs, cycles, microseconds, cycles per op) of the last invoke."""
        ops: list[int] = []
        while True:
            p = self.request(T.READ_CYCLES, struct.pack("<H", len(ops)))
            runs, cycles, us, n_ops, first = struct.unpack_from("<IIIHH", p)
            chunk = list(struct.unpack_from(f"<{(len(p) - 16) // 4}I", p, 16))
            ops += chunk
            if len(ops) >= n_ops or not chunk:
                return runs, cycles, us, ops

    def reset_state(self) -> None:
        self.request(T.RESET_STATE)

    def select(self, slot: int) -> int:
        return struct.unpack("<I", self.request(T.SELECT, bytes([slot]))[:4])[0]

    def load_blob(self, blob: bytes) -> int:
        """Upload a model blob into the board's RAM slot and make it the
        served model; returns its hash. A blob the board refuses (too large,
        corrupt: trt_model_init's reason) raises NakError; the board keeps
        serving its flash model then."""
        self.request(T.LOAD_BEGIN, struct.pack("<II", len(blob), zlib.crc32(blob)))
        for off in range(0, len(blob), CHUNK):
            self.request(T.LOAD_DATA, struct.pack("<I", off) + blob[off : off + CHUNK])
        return struct.unpack("<I", self.request(T.LOAD_COMMIT, timeout=max(self.timeout, 5.0))[:4])[0]

    def dut_mode(self) -> None:
        """Switch the board to the DUT text mode: it takes `cmd%` commands next."""
        self.request(T.DUT_MODE)

    def run(self, vector: bytes, count: int = 1) -> Result:
        """One vector: inputs, `count` inferences, outputs and cycles."""
        self.set_input(vector)
        self.invoke(count)
        output = self.read_output()
        runs, cycles, us, ops = self.read_cycles()
        return Result(output, runs, cycles, us, ops)
