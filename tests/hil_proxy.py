"""A TCP relay between the HIL runner and a QEMU board's serial socket
that damages the link on purpose: garbage inserted, bytes dropped, bits
flipped, or a stall (everything swallowed after some bytes)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable

import numpy as np

Mutator = Callable[[bytes], bytes]


class Faults:
    """Every `every` bytes or so (seeded random spacing), one fault of `kind`:
    "garbage" (1-8 random bytes inserted), "drop" (a byte removed) or
    "flip" (one bit inverted). `count` says how many it made."""

    def __init__(self, kind: str, every: int, seed: int = 0) -> None:
        self.kind, self.every = kind, every
        self.rng = np.random.default_rng(seed)
        self.count = 0
        self._next = self._gap()

    def _gap(self) -> int:
        return int(self.rng.integers(self.every // 2, self.every * 3 // 2 + 1))

    def __call__(self, data: bytes) -> bytes:
        out = bytearray()
        for b in data:
            self._next -= 1
            if self._next > 0:
                out.append(b)
                continue
            self._next = self._gap()
            self.count += 1
            if self.kind == "garbage":
                out += self.rng.integers(0, 256, int(self.rng.integers(1, 9)), dtype=np.uint8).tobytes()
                out.append(b)
            elif self.kind == "flip":
                out.append(b ^ (1 << int(self.rng.integers(0, 8))))
            # "drop": the byte is not appended
        return bytes(out)


class Stall:
    """Passes `after` bytes, then swallows everything: a board that hangs."""

    def __init__(self, after: int) -> None:
        self.left = after
        self.stalled = False

    def __call__(self, data: bytes) -> bytes:
        if self.left <= 0:
            self.stalled = True
            return b""
        keep = data[: self.left]
        self.left -= len(keep)
        return keep


class Proxy:
    """Listens on 127.0.0.1:`port`; relays one client at a time to
    127.0.0.1:`target`, through `up` (towards the board) and `down`
    (towards the runner) once `active` is set."""

    def __init__(self, target: int, up: Mutator | None = None, down: Mutator | None = None) -> None:
        self.target, self.up, self.down = target, up, down
        self.active = False
        self._srv = socket.socket()
        self._srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._srv.bind(("127.0.0.1", 0))
        self._srv.listen(1)
        self.port = self._srv.getsockname()[1]
        self._socks: list[socket.socket] = []
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._srv.accept()
            except OSError:
                return
            try:
                board = socket.create_connection(("127.0.0.1", self.target), timeout=10)
            except OSError:
                client.close()
                continue
            for s in (client, board):
                s.settimeout(None)
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._socks += [client, board]
            threading.Thread(target=self._pump, args=(client, board, "up"), daemon=True).start()
            threading.Thread(target=self._pump, args=(board, client, "down"), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, way: str) -> None:
        try:
            while True:
                data = src.recv(4096)
                if not data:
                    break
                mutate = self.up if way == "up" else self.down
                if self.active and mutate is not None:
                    data = mutate(data)
                if data:
                    dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self) -> None:
        self._closed = True
        for s in [self._srv, *self._socks]:
            try:
                s.close()
            except OSError:
                pass
