"""`tinyrt hil`: the command line of the runner (tinyrt/cli.py adds it)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

# The runner (pyserial, cobs, numpy) is imported when the command runs, so
# the rest of the CLI works without them.


def add_parser(sub: Any) -> argparse.ArgumentParser:
    p = sub.add_parser("hil", help="run test vectors on boards over serial (hardware in the loop) or QEMU boards",
                       description="Run test vectors through the serve firmware (app=serve) of boards on serial "
                       "ports, or of QEMU boards started here, and compare every output bit for bit with the host "
                       "runtime. Results go to a JSON-lines file as they arrive; run again to resume.")
    p.add_argument("--model", required=True, help=".tflite model (or .trt blob) the boards serve")
    p.add_argument("--port", action="append", default=[],
                   help="serial device or pyserial URL (/dev/ttyACM0, socket://host:port); repeat for several boards")
    p.add_argument("--board", action="append", default=[],
                   help="without --port: start this QEMU board here (repeat for several); with --port: the boards' "
                   "type, to build the firmware for --flash")
    p.add_argument("--vectors", type=int, default=100, help="random input vectors (default 100)")
    p.add_argument("--inputs", help="folder of .npy/.npz input vectors instead of random ones")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--results", help="results file (JSON lines; default hil-<model>.jsonl); an existing one is "
                   "resumed")
    p.add_argument("--baud", type=int, default=115200)
    p.add_argument("--timeout", type=float, default=1.0, help="seconds to wait for an answer before retrying")
    p.add_argument("--retries", type=int, default=5, help="retries of a request before resetting the board")
    p.add_argument("--max-resets", type=int, default=2, help="resets of a board before giving up on it")
    p.add_argument("--reset-cmd", help="shell command that resets the board (default: pulse DTR/RTS)")
    p.add_argument("--upload", action="store_true", help="upload the model into the board's RAM slot first")
    p.add_argument("--flash", help="shell command to flash before running, {elf} replaced by the serve firmware "
                   "built for --board")
    p.set_defaults(func=cmd_hil)
    return p


def _kernel_dirs(board: str) -> tuple[str, ...]:
    from ..target.boards import load_board

    return tuple(load_board(board)["kernel_dirs"])


def build_serve(board: str, model: str) -> Path:
    """The serve firmware of `model` (.tflite) for `board`: build/<board>/hil/<model>/firmware.elf."""
    import numpy as np

    from ..compiler import compile_tflite
    from ..target.boards import ROOT, load_board
    from ..target.firmware import build_firmware, mlperf_model_id, seeded_inputs

    compiled = compile_tflite(Path(model).read_bytes(), kernels=load_board(board)["kernel_dirs"])
    inputs = [np.concatenate([x.reshape(-1).view(np.int8) for x in v]) for v in seeded_inputs(compiled.blob, 1)]
    workdir = ROOT / "build" / board / "hil" / Path(model).stem
    return build_firmware(board, compiled, inputs, workdir, app="serve", model_id=mlperf_model_id(model))


def print_summary(summary: Any, console: Any) -> None:
    from rich.table import Table

    t = Table(title="hardware in the loop")
    t.add_column("board")
    t.add_column("vectors", justify="right")
    t.add_column("resets", justify="right")
    t.add_column("retries", justify="right")
    t.add_column("cycles / inference", justify="right")
    t.add_column("µs / inference", justify="right")
    t.add_column("status")
    for b in summary.boards:
        t.add_row(b.name, str(b.vectors), str(b.resets), str(b.retries),
                  f"{b.cycles:,.0f}" if b.cycles else "-", f"{b.us:,.0f}" if b.us else "-",
                  f"failed: {b.failed}" if b.failed else "ok")
    console.print(t)
    s = Table(show_header=False)
    s.add_row("bit-exact", f"{summary.bit_exact}/{summary.total}")
    s.add_row("mismatches", str(len(summary.mismatches)) + "".join(
        f"\n  {vid}: first differing output byte {idx}" for vid, idx in summary.mismatches[:10]))
    if summary.missing:
        s.add_row("not run", f"{len(summary.missing)} (run again to resume)")
    if summary.op_cycles:
        s.add_row("cycles per op", ", ".join(f"{k}: {c:,.0f}" for k, c in enumerate(summary.op_cycles)))
    console.print(s)


def cmd_hil(args: argparse.Namespace) -> int:
    import subprocess

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from ..target.firmware import FirmwareError, load_blob
    from .client import HilError
    from .runner import Board, NpyVectors, QemuBoard, RandomVectors, SerialBoard, Vectors, run_hil

    console = Console(highlight=False, width=None if sys.stdout.isatty() else 120)
    try:
        # One blob for every board of the run: their kernel variants when
        # they all build the same kernel directories, else the portable ones.
        blob = load_blob(args.model, args.board[0] if len({_kernel_dirs(b) for b in args.board}) == 1 else None)
        boards: list[Board] = []
        if args.port:
            if args.flash:
                if len(args.board) != 1:
                    console.print("tinyrt hil: --flash needs the board type: --board B")
                    return 2
                elf = build_serve(args.board[0], args.model)
                cmd = args.flash.replace("{elf}", str(elf))
                console.print(f"flashing: {cmd}")
                if subprocess.run(cmd, shell=True).returncode != 0:
                    console.print("tinyrt hil: flashing failed")
                    return 1
            boards = [SerialBoard(p, args.baud, args.reset_cmd) for p in args.port]
        elif args.board:
            for i, b in enumerate(args.board):
                boards.append(QemuBoard(b, build_serve(b, args.model), name=f"{b} (QEMU #{i})"))
        else:
            console.print("tinyrt hil: give --port PORT (a board on a serial port) or --board B (a QEMU board)")
            return 2
        vectors: Vectors = NpyVectors(args.inputs) if args.inputs else RandomVectors(blob, args.vectors, args.seed)
        results = Path(args.results or f"hil-{Path(args.model).stem}.jsonl")
        with Progress(TextColumn("hil"), BarColumn(), MofNCompleteColumn(),
                      TextColumn("{task.fields[rate]}"), TextColumn("ETA"), TimeRemainingColumn(),
                      console=console, disable=not console.is_terminal) as bar:
            task = bar.add_task("vectors", total=len(vectors.ids()), rate="")

            def progress(done: int, total: int) -> None:
                speed = bar.tasks[0].speed
                bar.update(task, completed=done, rate=f"{speed:.1f} vectors/s" if speed else "")

            summary = run_hil(boards, blob, vectors, results, timeout=args.timeout, retries=args.retries,
                              max_resets=args.max_resets, upload=args.upload, progress=progress,
                              log=lambda m: console.print(f"[dim]{m}[/dim]"))
    except (HilError, FirmwareError, OSError) as e:
        console.print(f"tinyrt hil: {e}")
        return 1
    print_summary(summary, console)
    console.print(f"results: {results}")
    console.print(f"bit-exact vs host runtime: {summary.bit_exact}/{summary.total}")
    return 0 if summary.ok else 1
