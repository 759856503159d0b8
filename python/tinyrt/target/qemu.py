"""A board under QEMU: its console and exit through semihosting (batch runs),
its UART on stdio, a pty or a TCP socket (for a serial runner), and a clean
shutdown that always reaps QEMU and reports the guest's exit status.

    with Qemu("mps2-an386", elf, serial="tcp") as q:
        sock = socket.create_connection(("127.0.0.1", q.port))
        ...
        status = q.wait(timeout=30)

QEMU writes the semihosting console to its stdout; `Qemu.output` collects it
(and echoes it when `echo` is set). A guest that exits through semihosting
gives QEMU's exit status; a board without semihosting (board.py
"qemu": {"exit": "done-line"}) is stopped once its console prints "done"."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

from .boards import load_board

SERIAL_MODES = ("none", "stdio", "pty", "tcp")
_PTY = re.compile(r"char device redirected to (\S+) \(label (\w+)\)")


class QemuError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def board_qemu(board: str) -> dict[str, Any]:
    q = load_board(board).get("qemu")
    if not q:
        raise QemuError(f"board {board!r} has no QEMU machine (boards with one: see boards/*/board.py 'qemu')")
    return dict(q)


def _split_serial(args: list[str]) -> tuple[list[str], str]:
    """The board's QEMU arguments without its `-serial X`, and X (its
    default: "stdio" on a board whose console is its UART, else "none")."""
    rest, serial, i = [], "none", 0
    while i < len(args):
        if args[i] == "-serial" and i + 1 < len(args):
            serial, i = args[i + 1], i + 2
        else:
            rest.append(args[i])
            i += 1
    return rest, serial


def command(board: str, elf: str | Path, serial: str | None = None, port: int = 0, icount: bool = False) -> list[str]:
    """The QEMU command line for `elf` on `board`, its first UART on `serial`:
    none, stdio, pty, or tcp (a server on 127.0.0.1:`port` that QEMU waits
    on: the guest starts when the runner connects, so nothing it prints is
    lost); None: the board's own choice in board.py."""
    q = board_qemu(board)
    args, default = _split_serial(q["args"])
    serial = serial or default
    if serial not in SERIAL_MODES:
        raise QemuError(f"serial {serial!r}: use one of {', '.join(SERIAL_MODES)}")
    if serial == "stdio" and any(a.startswith("stdio") for a in args):
        raise QemuError(f"{board}: its semihosting console already uses stdio; use --serial pty or tcp")
    chardev = {"none": "none", "stdio": "stdio", "pty": "pty",
               "tcp": f"tcp:127.0.0.1:{port},server=on,wait=on,nodelay=on"}[serial]
    cmd = [q["binary"], "-M", q["machine"], *args, "-serial", chardev]
    if icount:
        # Deterministic virtual time: one instruction per ns.
        cmd += ["-icount", "shift=0"]
    return [*cmd, "-kernel", str(elf)]


class Qemu:
    def __init__(self, board: str, elf: str | Path, serial: str | None = None, port: int = 0, icount: bool = False,
                 echo: TextIO | None = None) -> None:
        if not Path(elf).is_file():
            raise QemuError(f"{elf}: no such firmware ELF")
        self.board = board
        self.serial = serial or _split_serial(board_qemu(board)["args"])[1]
        self.port = port or (free_port() if self.serial == "tcp" else 0)
        self.cmd = command(board, elf, self.serial, self.port, icount)
        self.stop_on_done = board_qemu(board).get("exit") == "done-line"
        self.echo = echo
        self.pty: str | None = None
        self.output = ""
        self.returncode: int | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._ready = threading.Event()
        self._stderr = ""
        self._threads: list[threading.Thread] = []

    # -- life cycle ---------------------------------------------------------
    def start(self, ready_timeout: float = 10.0) -> Qemu:
        """Start QEMU; returns once the serial endpoint exists (pty path
        known, TCP port listening)."""
        # The terminal reaches a stdio UART only in an interactive session;
        # batch runs (tests, pipes) give QEMU no input.
        stdin = None if self.serial == "stdio" and sys.stdin is not None and sys.stdin.isatty() else subprocess.DEVNULL
        try:
            self._proc = subprocess.Popen(self.cmd, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                          start_new_session=True)
        except FileNotFoundError as e:
            raise QemuError(f"{self.cmd[0]} not found (tools/setup.sh installs QEMU)") from e
        self._threads = [threading.Thread(target=self._pump_stdout, daemon=True),
                         threading.Thread(target=self._pump_stderr, daemon=True)]
        for t in self._threads:
            t.start()
        if self.serial in ("pty", "tcp"):
            deadline = time.monotonic() + ready_timeout
            while not self._ready.is_set():
                if self._proc.poll() is not None or time.monotonic() > deadline:
                    self._reap()  # joins the readers: a guest that already ended may have opened it
                    if self._ready.is_set():
                        break
                    raise QemuError(f"{self.board}: QEMU did not open its {self.serial} serial port "
                                    f"({' '.join(self.cmd)}):\n{self._stderr}")
                self._ready.wait(0.05)
        return self

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the guest to end; returns QEMU's exit status. On timeout
        QEMU is stopped and QemuError says so, with what the guest printed."""
        assert self._proc is not None, "start() first"
        deadline = None if timeout is None else time.monotonic() + timeout
        while self._proc.poll() is None:
            if self._done.is_set():
                self.stop()
                break
            if deadline is not None and time.monotonic() > deadline:
                self.stop()
                raise QemuError(f"{self.board}: QEMU did not exit within {timeout:g} s ({' '.join(self.cmd)}); "
                                f"output:\n{self.output}")
            self._done.wait(0.05)
        self._reap()
        assert self.returncode is not None
        return self.returncode

    def stop(self) -> int:
        """Stop QEMU (SIGTERM, then SIGKILL) and reap it. Returns its status;
        0 when a done-line board was stopped after printing "done"."""
        if self._proc is not None and self._proc.poll() is None:
            try:
                os.killpg(self._proc.pid, signal.SIGTERM)
                self._proc.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(self._proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self._reap()
        return self.returncode if self.returncode is not None else -1

    def _reap(self) -> None:
        if self._proc is None:
            return
        code = self._proc.wait()
        for t in self._threads:
            t.join(2)
        if self.returncode is None:
            self.returncode = 0 if self._done.is_set() else code

    def __enter__(self) -> Qemu:
        return self.start() if self._proc is None else self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    # -- output -------------------------------------------------------------
    def _pump_stdout(self) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        for raw in iter(self._proc.stdout.readline, b""):
            line = raw.decode(errors="replace")
            # QEMU announces a pty on stdout, before the guest prints anything.
            if self.pty is None and self._announce(line):
                continue
            with self._lock:
                self.output += line
            if self.echo is not None:
                self.echo.write(line)
                self.echo.flush()
            # "error ..."/"fault": the firmware gave up and will not print "done".
            if self.stop_on_done and (line.strip() == "done" or line.startswith(("error", "fault"))):
                self._done.set()

    def _pump_stderr(self) -> None:
        assert self._proc is not None and self._proc.stderr is not None
        for raw in iter(self._proc.stderr.readline, b""):
            line = raw.decode(errors="replace")
            self._stderr += line
            self._announce(line)

    def _announce(self, line: str) -> bool:
        """Whether `line` is QEMU saying where its serial port is."""
        m = _PTY.search(line)
        if m and m.group(2) == "serial0":
            self.pty = m.group(1)
        elif "waiting for connection" not in line:
            return False
        self._ready.set()
        return True

    @property
    def stderr(self) -> str:
        return self._stderr


def run(board: str, elf: str | Path, timeout: float = 60.0, echo: TextIO | None = None) -> str:
    """Run `elf` to its end (semihosting exit, or "done" on a done-line
    board); returns what it printed. Raises QemuError on a timeout or a
    non-zero exit status."""
    q = Qemu(board, elf, echo=echo).start()
    status = q.wait(timeout)
    if status != 0:
        raise QemuError(f"{board}: QEMU exited with status {status} ({' '.join(q.cmd)}); output:\n"
                        f"{q.output}{q.stderr}")
    return q.output


__all__ = ["SERIAL_MODES", "Qemu", "QemuError", "command", "free_port", "run"]
