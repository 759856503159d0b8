"""Hardware in the loop: run test vectors on boards over a serial link.

- `framing`: the binary protocol's frames (COBS + CRC-32) and message types,
- `client.HilClient`: requests with retries over a pyserial port,
- `dut.DutClient`: the MLPerf Tiny / EEMBC DUT text mode,
- `runner`: boards (a serial port, a socket, a QEMU board started here),
  vector sources, the results file (JSON lines, resumable) and `run_hil`.

The firmware side is boards/common/serve_main.c (app "serve")."""

from __future__ import annotations

__all__ = ["client", "dut", "framing", "runner"]
