"""Frames of the tinyrt serial protocol (boards/common/serve_main.c).

On the wire every frame is COBS(body) + 0x00, body =
type u8 | seq u8 | length u16 LE | payload | CRC-32 LE (zlib.crc32 of what
precedes it). Replies carry the request type | 0x80 and the request's seq;
a NAK (0x7F) carries code u8, request type u8 and a reason."""

from __future__ import annotations

import enum
import struct
import zlib
from dataclasses import dataclass

from cobs import cobs

MAX_PAYLOAD = 256
REPLY = 0x80
NAK_SEQ_UNKNOWN = 0xFF  # a NAK for a frame whose seq could not be trusted


class T(enum.IntEnum):
    INFO = 0x01
    SET_INPUT = 0x02
    INVOKE = 0x03
    READ_OUTPUT = 0x04
    READ_CYCLES = 0x05
    RESET_STATE = 0x06
    LOAD_BEGIN = 0x07
    LOAD_DATA = 0x08
    LOAD_COMMIT = 0x09
    SELECT = 0x0A
    TENSOR = 0x0B
    DUT_MODE = 0x0C
    NAK = 0x7F


class Nak(enum.IntEnum):
    FRAME = 1
    CRC = 2
    LENGTH = 3
    TYPE = 4
    ARG = 5
    RUNTIME = 6
    NO_SLOT = 7
    UPLOAD = 8


# NAKs of a frame damaged on the link: the request is sent again.
TRANSIENT = (Nak.FRAME, Nak.CRC, Nak.LENGTH)


@dataclass(frozen=True)
class Frame:
    type: int
    seq: int
    payload: bytes

    @property
    def nak(self) -> tuple[int, int, str] | None:
        """(code, request type, reason) of a NAK, else None."""
        if self.type != T.NAK or len(self.payload) < 2:
            return None
        return self.payload[0], self.payload[1], self.payload[2:].decode(errors="replace")


class FrameError(ValueError):
    """Bytes between two delimiters that are no valid frame."""


def encode(type_: int, seq: int, payload: bytes = b"") -> bytes:
    """A frame ready to send, with a leading delimiter (it ends any partial
    frame the board may hold) and the trailing one."""
    if len(payload) > MAX_PAYLOAD:
        raise ValueError(f"payload of {len(payload)} bytes exceeds {MAX_PAYLOAD}")
    body = struct.pack("<BBH", type_, seq, len(payload)) + payload
    body += struct.pack("<I", zlib.crc32(body))
    return b"\0" + cobs.encode(body) + b"\0"


def decode(wire: bytes) -> Frame:
    """One frame from the bytes between two delimiters."""
    try:
        body = cobs.decode(wire)
    except cobs.DecodeError as e:
        raise FrameError(f"bad COBS: {e}") from e
    if len(body) < 8:
        raise FrameError(f"short frame ({len(body)} bytes)")
    if zlib.crc32(body[:-4]) != struct.unpack_from("<I", body, len(body) - 4)[0]:
        raise FrameError("bad CRC")
    type_, seq, length = struct.unpack_from("<BBH", body)
    if length != len(body) - 8:
        raise FrameError(f"length field {length} != payload {len(body) - 8}")
    return Frame(type_, seq, body[4:-4])


class Decoder:
    """Splits a byte stream into frames; anything between delimiters that
    is not a frame (boot text, garbage, damaged frames) becomes a FrameError."""

    MAX_WIRE = 2 * (MAX_PAYLOAD + 16)

    def __init__(self) -> None:
        self._buf = bytearray()
        self._overflow = False

    def feed(self, data: bytes) -> list[Frame | FrameError]:
        out: list[Frame | FrameError] = []
        parts = data.split(b"\0")
        for i, part in enumerate(parts):
            self._add(part)
            if i < len(parts) - 1:
                got = self._finish()
                if got is not None:
                    out.append(got)
        return out

    def _add(self, data: bytes) -> None:
        if len(self._buf) + len(data) > self.MAX_WIRE:
            self._overflow = True
            self._buf = bytearray()
        else:
            self._buf += data

    def _finish(self) -> Frame | FrameError | None:
        wire, overflow = bytes(self._buf), self._overflow
        self._buf, self._overflow = bytearray(), False
        if overflow:
            return FrameError("frame too long")
        if not wire:
            return None
        try:
            return decode(wire)
        except FrameError as e:
            return e
