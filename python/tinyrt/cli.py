"""The `tinyrt` command line. Each command calls the library function a user
would call; this module only parses arguments and prints."""

from __future__ import annotations

import argparse
import struct
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .blob import kernels_of, write_op_table
from .compiler import Compiled, compile_tflite
from .convert import ConvertError
from .target.boards import ROOT, BoardError, kernel_dirs, load_board
from .tflite import TfliteError

# Wide enough for the plan table when piped (rich assumes 80 columns then).
console = Console(highlight=False, width=None if sys.stdout.isatty() else 120)


class UsageError(Exception):
    """Bad input from the user (a file, an argument): `main` prints it as one
    line on stderr and exits with status 2 (--debug: the traceback)."""


def _read(path: str) -> bytes:
    p = Path(path)
    if not p.is_file():
        raise UsageError(f"{path}: no such file")
    return p.read_bytes()


def _kernels(args: argparse.Namespace) -> tuple[str, ...]:
    """The kernel directories of --board and --kernels (boards.kernel_dirs)."""
    return kernel_dirs(getattr(args, "board", None), getattr(args, "kernels", None))


def _compile(path: str, inplace: bool = True, kernels: Sequence[str] = ("ref",)) -> Compiled:
    data = _read(path)
    try:
        return compile_tflite(data, inplace=inplace, kernels=kernels)
    except ConvertError:
        raise
    except TfliteError as exc:
        raise UsageError(f"{path}: {exc}") from exc
    except (ValueError, IndexError, KeyError, OverflowError, struct.error, UnicodeDecodeError) as exc:
        # The parser's own errors name the problem; anything else a corrupt
        # file provokes is still a bad input, not a crash.
        raise UsageError(f"{path}: not a readable .tflite model ({type(exc).__name__}: {exc})") from exc


def _is_blob(data: bytes) -> bool:
    from .format import MAGIC

    return len(data) >= 4 and int.from_bytes(data[:4], "little") == MAGIC


def _model_blob(path: str) -> bytes:
    """A .trt blob, checked by the C loader, or a .tflite compiled to one."""
    from .native import Model, TinyrtError

    data = _read(path)
    if not (_is_blob(data) or Path(path).suffix == ".trt"):
        return _compile(path).blob
    try:
        Model(data)
    except TinyrtError as exc:
        raise UsageError(f"{path}: not a valid tinyrt blob: {exc.message}") from exc
    return data


def cmd_convert(args: argparse.Namespace) -> int:
    compiled = _compile(args.model, inplace=not args.no_inplace, kernels=_kernels(args))
    out = Path(args.output or Path(args.model).with_suffix(".trt"))
    out.write_bytes(compiled.blob)
    console.print(f"wrote {out}: {len(compiled.blob):,} bytes, {len(compiled.graph.ops)} ops, "
                  f"arena {compiled.arena_bytes:,} bytes")
    if args.c_array:
        name = args.name or Path(args.model).stem
        source, header = compiled.c_array(name)
        c_path = Path(args.c_array)
        c_path.write_text(source)
        c_path.with_suffix(".h").write_text(header)
        ops_path = c_path.with_name("model_ops.c")
        ops_path.write_text(write_op_table(kernels_of(compiled.blob)))
        console.print(f"wrote {c_path}, {c_path.with_suffix('.h')} and {ops_path} (the op table: link it so only "
                      "this model's kernels are linked)")
    return 0


def _round_half_away(x: np.ndarray) -> np.ndarray:
    # TFLite's quantizer rounds half away from zero (std::round), not to even.
    return np.sign(x) * np.floor(np.abs(x) + 0.5)


def _load_input(path: str, index: int, info: Any, quantize: bool) -> np.ndarray:
    """One .npy for model input `index`: exactly its shape and dtype; float
    data for an integer input only with `quantize`, then with the input's own
    scale and zero point, every value inside the integer range (refused, never
    wrapped or clipped)."""
    from .native import _NUMPY

    want = np.dtype(_NUMPY[info.dtype])
    what = f"model input {index} is {want.name} {list(info.shape)}"
    _read(path)
    try:
        x = np.load(path, allow_pickle=False)
    except (ValueError, OSError, EOFError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise UsageError(f"{path}: not a .npy array ({first})") from exc
    if not isinstance(x, np.ndarray):
        raise UsageError(f"{path}: an .npz archive, not one .npy array")
    if tuple(x.shape) != tuple(info.shape):
        raise UsageError(f"{path}: shape {list(x.shape)}, but the {what}")
    if x.dtype == want:
        return x
    if not (quantize and x.dtype.kind == "f" and want.kind == "i"):
        hint = " (--quantize: quantize float data with the input's scale and zero point)" if (
            x.dtype.kind == "f" and want.kind == "i") else ""
        raise UsageError(f"{path}: dtype {x.dtype.name}, but the {what}{hint}")
    if not np.isfinite(x).all():
        raise UsageError(f"{path}: NaN or infinite values cannot be quantized")
    if not info.scale > 0:
        raise UsageError(f"{path}: {what} without a quantization scale")
    q = _round_half_away(x.astype(np.float64) / info.scale) + info.zero_point
    lo, hi = np.iinfo(want).min, np.iinfo(want).max
    bad = (q < lo) | (q > hi)
    if bad.any():
        at = tuple(int(i) for i in np.argwhere(bad)[0])
        raise UsageError(f"{path}: {int(bad.sum())} values quantize outside {want.name} [{lo}, {hi}] with scale "
                         f"{info.scale:g} and zero point {info.zero_point}, e.g. {float(x[at]):g} at {list(at)}; "
                         "refused (not clipped)")
    return q.astype(want)


def _load_inputs(paths: Sequence[str], infos: Sequence[Any], quantize: bool) -> list[np.ndarray]:
    if len(paths) != len(infos):
        raise UsageError(f"{len(paths)} --input files for a model with {len(infos)} inputs")
    return [_load_input(p, i, info, quantize) for i, (p, info) in enumerate(zip(paths, infos, strict=True))]


def cmd_run(args: argparse.Namespace) -> int:
    from .check import random_inputs
    from .native import Model

    model = Model(_model_blob(args.model))
    if args.input:
        inputs = _load_inputs(args.input, model.inputs, args.quantize)
    else:
        inputs = random_inputs(model.inputs, np.random.default_rng(args.seed))
    outputs = model.run(inputs)
    for i, y in enumerate(outputs):
        console.print(f"output {i} {y.dtype} {list(y.shape)}:")
        console.print(np.array2string(y, threshold=64))
    if args.output:
        np.save(args.output, outputs[0])
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from .check import check_model

    with Progress(TextColumn("check"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task("samples", total=args.samples)
        result = check_model(args.model, args.samples, args.seed, lambda k: bar.update(task, completed=k),
                             kernels=_kernels(args))
    for line in result.mismatches[:10]:
        console.print(f"[red]mismatch[/red] {line}")
    if result.oracle != "TFLM":
        console.print(f"oracle: {result.oracle}")
    console.print(f"bit-exact: {result.exact}/{result.samples}")
    return 0 if result.ok else 1


def plan_table(compiled: Compiled) -> Table:
    g, p = compiled.graph, compiled.plan
    table = Table(title=f"memory plan: arena {p.arena_bytes:,} bytes, peak {p.peak_live_bytes:,} bytes live at op "
                  f"{p.peak_op} ({g.ops[p.peak_op].type.name if g.ops else '-'})")
    for col in ("op", "type", "variant", "output", "shape", "bytes", "offset", "scratch"):
        table.add_column(col, justify="right" if col in ("op", "bytes", "offset", "scratch") else "left")
    for i, op in enumerate(g.ops):
        scratch = f"{op.scratch_bytes}@{p.scratch_offsets[i]}" if op.scratch_bytes else ""
        for k, t_id in enumerate(op.outputs):
            t = g.tensors[t_id]
            first = k == 0
            table.add_row(str(i) if first else "", op.type.name if first else "", op.variant.name.lower() if first
                          else "", t.name[:32], "x".join(map(str, t.shape)), f"{t.bytes:,}",
                          str(p.tensor_offsets.get(t_id, "")), scratch if first else "")
    return table


def ops_table() -> tuple[Table, list[str]]:
    """The runtime's ops with their kernel variants (format.KERNELS, which
    tests/test_format.py keeps equal to the C op list), and the .tflite
    operators the converter handles without a runtime op of their own."""
    from . import format as fmt
    from .convert import SUPPORTED_OPS

    table = Table(title="tinyrt ops (runtime/include/tinyrt/op_list.h)")
    for col in ("op", "types", "in place", "optimized variants (kernel dir)"):
        table.add_column(col)
    for op in fmt.OpType:
        variants = {dir_: [v for o, v in pairs if o == op] for dir_, pairs in fmt.KERNELS.items()}
        inplace = any(v.inplace for vs in variants.values() for v in vs)
        optimized = "; ".join(f"{d}: {', '.join(v.name.lower() for v in vs)}" for d, vs in variants.items()
                              if d != "ref" and vs)
        types = {fmt.OpType.QUANTIZE: "float32 -> int8", fmt.OpType.DEQUANTIZE: "int8 -> float32",
                 fmt.OpType.RESHAPE: "any", fmt.OpType.ARG_MAX: "int8 -> int32/int64",
                 fmt.OpType.ARG_MIN: "int8 -> int32/int64"}.get(op, "int8")
        table.add_row(op.name, types, "yes" if inplace else "", optimized or "-")
    offline = [name for name in SUPPORTED_OPS if name not in fmt.OpType.__members__]
    return table, offline


def cmd_ops(args: argparse.Namespace) -> int:
    if args.markdown:
        from .coverage import markdown

        print(markdown(), end="")
        return 0
    table, offline = ops_table()
    console.print(table)
    console.print(".tflite operators handled by the converter (folded offline, aliased, or lowered to another op): "
                  + ", ".join(offline))
    return 0


def cmd_plan(args: argparse.Namespace) -> int:
    from .plan import plot

    compiled = _compile(args.model, inplace=not args.no_inplace, kernels=_kernels(args))
    console.print(plan_table(compiled))
    console.print(f"arena_bytes: {compiled.arena_bytes}")
    if args.plot:
        plot(compiled.graph, compiled.plan, args.plot, title=f"{Path(args.model).name}: arena "
             f"{compiled.arena_bytes:,} bytes")
        console.print(f"wrote {args.plot}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from .check import check_model
    from .plan import plot
    from .tflite_writer import make_dscnn_kws

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.model:
        tflite = Path(args.model).read_bytes()
        console.print(f"model: {args.model}")
    else:
        tflite = make_dscnn_kws(seed=0)
        (out / "dscnn_kws.tflite").write_bytes(tflite)
        console.print(f"model: a DS-CNN keyword-spotting network, generated ({out / 'dscnn_kws.tflite'})")
    compiled = compile_tflite(tflite)
    (out / "model.trt").write_bytes(compiled.blob)
    source, header = compiled.c_array("model_data")
    (out / "model_data.c").write_text(source)
    (out / "model_data.h").write_text(header)
    plot(compiled.graph, compiled.plan, out / "plan.png")
    console.print(plan_table(compiled))
    console.print(f"blob {len(compiled.blob):,} bytes -> {out / 'model.trt'}, C array -> {out / 'model_data.c'}, "
                  f"plan plot -> {out / 'plan.png'}")
    result = check_model(tflite, args.samples, seed=0)
    console.print(f"host C runtime vs {result.oracle}, {args.samples} random inputs: bit-exact: "
                  f"{result.exact}/{result.samples}")
    return 0 if result.ok else 1


def cmd_size(args: argparse.Namespace) -> int:
    import json

    from elftools.common.exceptions import ELFError

    from .target.elfsize import elf_size, format_report

    _read(args.elf)
    if args.board is not None:
        load_board(args.board)
    try:
        report = elf_size(args.elf, args.board)
    except (ELFError, struct.error) as exc:
        raise UsageError(f"{args.elf}: not a readable ELF file ({exc})") from exc
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
    else:
        console.print(format_report(report), markup=False)
    return 0


def _scons_firmware(model: str, board: str, app: str, vectors: int, kernels: str | None = None) -> Path:
    """`scons board=B model=M`: the firmware ELF, or FirmwareError with scons's message."""
    import subprocess

    from .target.firmware import FirmwareError, scons_command

    # Board and model first: a bad one is a one-line error here, not scons's.
    kernel_dirs(board, kernels)
    _model_blob(model)
    cmd = scons_command(f"board={board}", f"model={Path(model).resolve()}", f"app={app}", f"vectors={vectors}",
                        f"kernels={kernels or 'board'}")
    with console.status(f"building {app} firmware for {board}: {' '.join(cmd[1:])}"):
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        # The firmware generator's own message ("model does not fit ...") says
        # it all; otherwise show the whole log (compiler errors).
        ours = [ln[len("tinyrt: "):] for ln in (proc.stdout + proc.stderr).splitlines() if ln.startswith("tinyrt: ")]
        raise FirmwareError(ours[0] if ours else f"{' '.join(cmd)} failed:\n{proc.stdout}{proc.stderr}")
    return ROOT / "build" / board / "fw" / Path(model).stem / "firmware.elf"


def cmd_build(args: argparse.Namespace) -> int:
    from .target.elfsize import elf_size

    elf = _scons_firmware(args.model, args.board, args.app, args.vectors, args.kernels)
    size = elf_size(elf, args.board)
    console.print(f"wrote {elf}")
    console.print(f"flash {size.flash_bytes:,} bytes (code {size.flash['runtime'] + size.flash['kernels']:,}, "
                  f"model {size.flash['model']:,}), RAM {size.ram_bytes:,} bytes (arena {size.ram['arena']:,})")
    return 0


def cmd_qemu(args: argparse.Namespace) -> int:
    from .native import Model
    from .target.firmware import load_blob, parse_outputs, seeded_inputs
    from .target.qemu import Qemu, QemuError

    target = Path(args.target)
    if target.suffix in (".tflite", ".trt"):
        if args.serial is not None:
            raise QemuError("--serial is for a firmware ELF; a model runs its test vectors in batch")
        elf = _scons_firmware(str(target), args.board, "test", args.vectors, args.kernels)
        q = Qemu(args.board, elf, echo=sys.stdout if args.verbose else None).start()
        status = q.wait(args.timeout)
        if status != 0:
            raise QemuError(f"{args.board}: firmware exited with status {status}:\n{q.output}{q.stderr}")
        got = parse_outputs(q.output)
        blob = load_blob(target, args.board, args.kernels)
        host = Model(blob)
        want = [b"".join(o.tobytes() for o in host.run(xs)) for xs in seeded_inputs(blob, args.vectors)]
        exact = sum(g == w for g, w in zip(got, want, strict=False))
        cycles = [ln.split()[2] for ln in q.output.splitlines() if ln.startswith("cycles ")]
        counted = f", cycles per inference {', '.join(cycles)}" if any(c != "0" for c in cycles) else ""
        console.print(f"{target.name} on {args.board} (QEMU): {len(got)} vectors, bit-exact vs host runtime: "
                      f"{exact}/{len(want)}{counted}")
        return 0 if exact == len(want) == len(got) else 1
    load_board(args.board)
    _read(str(target))
    q = Qemu(args.board, target, serial=args.serial, port=args.port, icount=args.icount, echo=sys.stdout)
    q.start()
    if q.pty:
        console.print(f"serial0: {q.pty}", highlight=False)
    elif args.serial == "tcp":
        console.print(f"serial0: tcp 127.0.0.1:{q.port} (the guest starts when a client connects)")
    try:
        status = q.wait(args.timeout)
    except KeyboardInterrupt:
        console.print("stopped")
        return 130
    finally:
        q.stop()
    return status


def _est(value: float | None, fmt: str = "{:,}") -> str:
    """An estimate's cell: blank where the board has no cycle model or clock."""
    return "" if value is None else fmt.format(value)


def _bench_summary(results: list[Any], markdown: bool) -> None:
    cols = ("model", "board", "instructions", "cycles (est.)", "ms (est.)", "arena bytes", "runtime RAM",
            "flash code", "flash model", "bit-exact")
    rows = [(r.model, r.board, f"{r.instructions:,}", _est(r.cycles_estimate), _est(r.ms_estimate, "{:,.1f}"),
             f"{r.arena_bytes:,}", f"{r.runtime_ram_bytes:,}", f"{r.flash_code_bytes:,}", f"{r.flash_model_bytes:,}",
             "yes" if r.bit_exact else "NO") for r in results]
    # Which table each estimate comes from (Cortex-M7/M33 reuse the M4's).
    labels = list({r.board: f"{r.board}: {r.cycle_model.label}, " + (
        f"ms at {r.cycle_model.clock_hz / 1e6:g} MHz" if r.cycle_model.clock_hz else "no clock_hz in board.py: no ms")
        for r in results if r.cycle_model is not None}.values())
    if markdown:
        print("| " + " | ".join(cols) + " |")
        print("|" + "|".join("---" if i < 2 else "---:" for i in range(len(cols))) + "|")
        for row in rows:
            print("| " + " | ".join(row) + " |")
        if labels:
            print("\ncycles (est.): " + "; ".join(labels))
        return
    table = Table(title="instructions per inference (emulated), estimated cycles, memory and flash")
    for i, col in enumerate(cols):
        table.add_column(col, justify="left" if i < 2 else "right")
    for row in rows:
        table.add_row(*row)
    console.print(table)
    if labels:
        console.print("cycles (est.): " + "; ".join(labels))


def _bench_detail(result: Any) -> None:
    cyc = result.cycles_estimate is not None
    table = Table(title=f"{result.model} on {result.board}: {result.instructions:,} instructions per inference")
    for col in ("op", "type", "variant", "instructions", *(["cycles (est.)"] if cyc else []), "share"):
        table.add_column(col, justify="left" if col in ("type", "variant") else "right")
    for o in result.per_op:
        share = 100 * o.instructions / max(result.instructions, 1)
        table.add_row(str(o.index), o.op, o.variant, f"{o.instructions:,}",
                      *([_est(o.cycles_estimate)] if cyc else []), f"{share:.1f}%")
    table.add_row("", "interpreter overhead", "", f"{result.overhead_instructions:,}",
                  *([_est(result.overhead_cycles_estimate)] if cyc else []),
                  f"{100 * result.overhead_instructions / max(result.instructions, 1):.1f}%")
    console.print(table)
    console.print(f"instructions: {result.instructions:,}")
    if cyc:
        ms = result.ms_estimate
        clock = result.cycle_model.clock_hz
        at = f", {ms:,.2f} ms at {clock / 1e6:g} MHz" if ms is not None else " (no clock_hz in board.py: no ms)"
        console.print(f"cycles (est.): {result.cycles_estimate:,}{at}; {result.cycle_model.label}, "
                      f"refill {result.cycle_model.refill}, flash wait states {result.cycle_model.flash_wait_states}")
    else:
        console.print("cycles (est.): no cycle model for this board's CPU (Cortex-M4 table; M7/M33 reuse it)")
    console.print(f"arena_bytes: {result.arena_bytes:,}  runtime_ram_bytes: {result.runtime_ram_bytes:,}")
    console.print(f"flash: runtime {result.extra['flash_runtime_bytes']:,} + kernels "
                  f"{result.extra['flash_kernels_bytes']:,} = code {result.flash_code_bytes:,}; "
                  f"model {result.flash_model_bytes:,}")
    console.print(f"bit-exact vs host runtime: {result.bit_exact}  (emulated in {result.seconds:.1f} s)")


def cmd_bench(args: argparse.Namespace) -> int:
    import json

    from .target.emu import bench, plot

    boards = args.board or ["mps2-an386"]
    runs = [(m, b) for m in args.model for b in boards]
    if len(runs) > 1 and (args.plot or args.workdir):
        raise UsageError("--plot and --workdir take one model on one board")
    for board in boards:
        load_board(board)
    results = []
    with Progress(console=console, transient=True, disable=args.json or args.markdown) as progress:
        task = progress.add_task("benchmarking", total=len(runs))
        for model, board in runs:
            progress.update(task, description=f"{Path(model).stem} on {board}")
            results.append(bench(model, board, workdir=Path(args.workdir) if args.workdir else None, seed=args.seed,
                                 kernels=args.kernels))
            progress.advance(task)
    if args.plot:
        plot(results[0], args.plot)
    if args.json:
        docs = [r.to_json() for r in results]
        print(json.dumps(docs[0] if len(docs) == 1 else docs, indent=2))
    elif args.markdown or len(results) > 1:
        _bench_summary(results, args.markdown)
    else:
        _bench_detail(results[0])
        if args.plot:
            console.print(f"wrote {args.plot}")
    return 0 if all(r.bit_exact for r in results) else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = _Parser(prog="tinyrt", description="int8 inference for microcontrollers")
    kernels_help = ("kernel variants: board (default: the board's kernel_dirs, chosen per layer), ref (the "
                    "reference kernels everywhere: debugging, comparisons) or a list such as ref,arm_dsp")

    def _target_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--board", help="choose kernel variants for this board (default: portable reference kernels)")
        p.add_argument("--kernels", help=kernels_help)

    parser.add_argument("--debug", action="store_true", help="show the traceback of an error")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("convert", help="convert a .tflite model to a tinyrt blob (and a C array)")
    p.add_argument("model")
    p.add_argument("-o", "--output", help="blob path (default: MODEL.trt)")
    p.add_argument("--c-array", metavar="FILE.c",
                   help="also write the blob as a C array (+ FILE.h) and its op table (model_ops.c beside it)")
    p.add_argument("--name", help="C identifier of the array (default: the model's file name)")
    p.add_argument("--no-inplace", action="store_true", help="never run convolutions in place")
    _target_options(p)
    p.set_defaults(func=cmd_convert)

    p = sub.add_parser("run", help="run a .tflite or .trt model on the host C runtime")
    p.add_argument("model")
    p.add_argument("--input", nargs="*", help=".npy file per model input (default: random)")
    p.add_argument("--output", help="save output 0 as .npy")
    p.add_argument("--quantize", action="store_true",
                   help="quantize float .npy data for an int8 input with the input's scale and zero point "
                   "(values outside int8 are refused); without it the dtype must match the input's")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("check", help="bit-exactness against TFLM (LiteRT for the ops TFLM has no int8 kernel "
                       "for) on random inputs")
    p.add_argument("model")
    p.add_argument("--samples", type=int, default=50)
    p.add_argument("--seed", type=int, default=0)
    _target_options(p)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("ops", help="the supported ops: types, in-place and optimized kernel variants")
    p.add_argument("--markdown", action="store_true",
                   help="print the op coverage table next to TFLM's builtin ops, as Markdown")
    p.set_defaults(func=cmd_ops)

    p = sub.add_parser("plan", help="memory plan table (and plot)")
    p.add_argument("model")
    p.add_argument("--plot", metavar="FILE.png")
    p.add_argument("--no-inplace", action="store_true")
    _target_options(p)
    p.set_defaults(func=cmd_plan)

    p = sub.add_parser("demo", help="convert, plan, run and check a keyword-spotting model")
    p.add_argument("--model", help=".tflite to use instead of the generated DS-CNN")
    p.add_argument("--out", default="out/demo")
    p.add_argument("--samples", type=int, default=20)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("size", help="flash and RAM of a firmware ELF, per section and part")
    p.add_argument("elf")
    p.add_argument("--board", help="board the ELF was built for (default: from the ELF's machine)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_size)

    p = sub.add_parser("build", help="build a firmware for a board (scons board=B model=M)")
    p.add_argument("model", help=".tflite model (or .trt blob)")
    p.add_argument("--board", default="mps2-an386")
    p.add_argument("--app", choices=("test", "bench"), default="test",
                   help="test: run linked-in input vectors, print outputs and cycles; bench: for `tinyrt bench`")
    p.add_argument("--vectors", type=int, default=1, help="seeded random input vectors to link in")
    p.add_argument("--kernels", help=kernels_help)
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("qemu", help="run a firmware ELF (or a model's test firmware) on a board under QEMU")
    p.add_argument("target", help="firmware ELF, or a .tflite/.trt model: build, run and check it against the host")
    p.add_argument("--board", default="mps2-an386")
    p.add_argument("--serial", choices=("none", "stdio", "pty", "tcp"), default=None,
                   help="the board UART: off, on this terminal, a pty, or a TCP server QEMU waits on "
                   "(default: stdio on boards whose console is the UART, else none)")
    p.add_argument("--port", type=int, default=0, help="TCP port for --serial tcp (default: a free one)")
    p.add_argument("--timeout", type=float, default=None, help="stop QEMU after this many seconds (exit 124)")
    p.add_argument("--icount", action="store_true", help="deterministic virtual time (-icount shift=0)")
    p.add_argument("--vectors", type=int, default=5, help="for a model: how many random input vectors")
    p.add_argument("-v", "--verbose", action="store_true", help="for a model: echo the firmware's output")
    p.add_argument("--kernels", help=kernels_help)
    p.set_defaults(func=cmd_qemu)

    p = sub.add_parser("bench", help="instructions per inference, per op, counted in emulation (unicorn), "
                       "with a Cortex-M4 cycle estimate")
    p.add_argument("model", nargs="+", help="one or more .tflite models")
    p.add_argument("--board", action="append", help="board to emulate (repeatable; default mps2-an386)")
    p.add_argument("--json", action="store_true", help="print one JSON object (a list for several runs)")
    p.add_argument("--markdown", action="store_true", help="print the summary as a Markdown table")
    p.add_argument("--plot", metavar="FILE.png", help="bar chart of the per-op instructions")
    p.add_argument("--seed", type=int, default=0, help="seed of the random input")
    p.add_argument("--workdir", help="keep the bench firmware here (default: a temporary folder)")
    p.add_argument("--kernels", help=kernels_help)
    p.set_defaults(func=cmd_bench)

    from .hil.cli import add_parser as add_hil_parser  # `tinyrt hil`: hardware in the loop (tinyrt.hil)

    add_hil_parser(sub)

    for sp in sub.choices.values():
        # --debug after the command too (`tinyrt run m.trt --debug`).
        if not any("--debug" in a.option_strings for a in sp._actions):
            sp.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                            help="show the traceback of an error")
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except (UsageError, ConvertError, TfliteError, BoardError, OSError, RuntimeError) as exc:
        # RuntimeError: TinyrtError, FirmwareError, QemuError, EmuError.
        if args.debug:
            raise
        print(f"error: {_message(exc)}", file=sys.stderr)
        return 2


def _message(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.filename}: {exc.strerror}" if exc.filename else exc.strerror
    return str(exc) or type(exc).__name__


class _Parser(argparse.ArgumentParser):
    """argparse's errors in one line (its usage line is what --help shows)."""

    def error(self, message: str) -> Any:
        print(f"{self.prog}: error: {message} (see {self.prog} --help)", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    sys.exit(main())
