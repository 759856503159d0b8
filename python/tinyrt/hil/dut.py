"""The MLPerf Tiny / EEMBC DUT text mode of the serve firmware: commands
end with '%', every reply line with CR LF, every reply with "m-ready"."""

from __future__ import annotations

import re
import time
from typing import Any

import numpy as np

from .client import HilError, TensorSpec

RESULTS = re.compile(r"^m-results-\[(.*)\]$")


class DutClient:
    def __init__(self, port: Any, timeout: float = 10.0) -> None:
        self.port = port
        self.timeout = timeout
        self._buf = b""

    def read_line(self, timeout: float | None = None) -> str:
        deadline = time.monotonic() + (timeout or self.timeout)
        while b"\r\n" not in self._buf:
            if time.monotonic() > deadline:
                raise HilError(f"DUT: no complete line within {timeout or self.timeout:g} s (have {self._buf!r})")
            self._buf += self.port.read(max(1, getattr(self.port, "in_waiting", 0) or 1))
        line, self._buf = self._buf.split(b"\r\n", 1)
        return line.decode(errors="replace")

    def until_ready(self, timeout: float | None = None) -> list[str]:
        lines = []
        while True:
            line = self.read_line(timeout)
            if line == "m-ready":
                return lines
            lines.append(line)

    def boot(self) -> list[str]:
        """The boot lines, up to m-ready."""
        return self.until_ready()

    def command(self, cmd: str, timeout: float | None = None) -> list[str]:
        """Send `cmd%` and return the reply lines before m-ready."""
        if len(cmd) > 80:
            raise ValueError("DUT commands are at most 80 characters")
        self.port.write(cmd.encode() + b"%")
        return self.until_ready(timeout)

    def load(self, data: bytes, per_command: int = 32) -> list[str]:
        """`db load N` then `db <hex>` commands of `per_command` bytes."""
        lines = self.command(f"db load {len(data)}")
        for off in range(0, len(data), per_command):
            lines += self.command("db " + data[off : off + per_command].hex())
        return lines


def results_line(outputs: list[np.ndarray], specs: list[TensorSpec]) -> str:
    """The m-results line the firmware prints for these outputs, computed
    as it does: float32 scale * (q - zero point), rounded half away from
    zero to three decimals."""
    vals = []
    for y, spec in zip(outputs, specs, strict=True):
        flat = np.asarray(y).reshape(-1)
        if flat.dtype == np.float32:
            v = flat
        else:
            v = np.float32(spec.scale) * (flat.astype(np.int32) - np.int32(spec.zero_point)).astype(np.float32)
        for x in v.astype(np.float32):
            a = np.float32(min(abs(float(x)), 4000000.0))
            m = int(np.float32(a * np.float32(1000.0)) + np.float32(0.5))
            vals.append(("-" if x < 0 and m else "") + f"{m // 1000}.{m % 1000:03d}")
    return "m-results-[" + ",".join(vals) + "]"
