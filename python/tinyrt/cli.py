"""The `tinyrt` command line. Each command calls the library function a user
would call; this module only parses arguments and prints."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .compiler import Compiled, compile_tflite
from .convert import ConvertError
from .tflite import TfliteError

# Wide enough for the plan table when piped (rich assumes 80 columns then).
console = Console(highlight=False, width=None if sys.stdout.isatty() else 120)


def _compile(path: str, inplace: bool = True) -> Compiled:
    return compile_tflite(Path(path).read_bytes(), inplace=inplace)


def cmd_convert(args: argparse.Namespace) -> int:
    compiled = _compile(args.model, inplace=not args.no_inplace)
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
        console.print(f"wrote {c_path} and {c_path.with_suffix('.h')}")
    return 0


def _load_inputs(paths: Sequence[str]) -> list[np.ndarray]:
    return [np.load(p) for p in paths]


def cmd_run(args: argparse.Namespace) -> int:
    from .check import random_inputs
    from .native import Model

    path = Path(args.model)
    blob = path.read_bytes() if path.suffix == ".trt" else _compile(args.model).blob
    model = Model(blob)
    inputs = _load_inputs(args.input) if args.input else random_inputs(model.inputs, np.random.default_rng(args.seed))
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
        result = check_model(args.model, args.samples, args.seed, lambda k: bar.update(task, completed=k))
    for line in result.mismatches[:10]:
        console.print(f"[red]mismatch[/red] {line}")
    console.print(f"bit-exact: {result.exact}/{result.samples}")
    return 0 if result.ok else 1


def plan_table(compiled: Compiled) -> Table:
    g, p = compiled.graph, compiled.plan
    table = Table(title=f"memory plan: arena {p.arena_bytes:,} bytes, peak {p.peak_live_bytes:,} bytes live at op "
                  f"{p.peak_op} ({g.ops[p.peak_op].type.name if g.ops else '-'})")
    for col in ("op", "kernel", "output", "shape", "bytes", "offset", "scratch"):
        table.add_column(col, justify="right" if col in ("op", "bytes", "offset", "scratch") else "left")
    for i, op in enumerate(g.ops):
        t = g.tensors[op.output]
        name = op.type.name.replace("_INPLACE", " (in place)")
        scratch = f"{op.scratch_bytes}@{p.scratch_offsets[i]}" if op.scratch_bytes else ""
        table.add_row(str(i), name, t.name[:32], "x".join(map(str, t.shape)), f"{t.bytes:,}",
                      str(p.tensor_offsets.get(op.output, "")), scratch)
    return table


def cmd_plan(args: argparse.Namespace) -> int:
    from .plan import plot

    compiled = _compile(args.model, inplace=not args.no_inplace)
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
    console.print(f"host C runtime vs TFLM, {args.samples} random inputs: bit-exact: {result.exact}/{result.samples}")
    return 0 if result.ok else 1


def cmd_size(args: argparse.Namespace) -> int:
    import json

    from .elfsize import elf_size, format_report

    report = elf_size(args.elf, args.board)
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
    else:
        console.print(format_report(report), markup=False)
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    import json

    from .emu import bench, plot

    result = bench(args.model, args.board, workdir=Path(args.workdir) if args.workdir else None, seed=args.seed)
    if args.plot:
        plot(result, args.plot)
    if args.json:
        print(json.dumps(result.to_json(), indent=2))
    else:
        table = Table(title=f"{result.model} on {result.board}: {result.instructions:,} instructions per inference")
        for col in ("op", "type", "instructions", "share"):
            table.add_column(col, justify="left" if col == "type" else "right")
        for o in result.per_op:
            share = 100 * o.instructions / max(result.instructions, 1)
            table.add_row(str(o.index), o.op, f"{o.instructions:,}", f"{share:.1f}%")
        table.add_row("", "interpreter overhead", f"{result.overhead_instructions:,}",
                      f"{100 * result.overhead_instructions / max(result.instructions, 1):.1f}%")
        console.print(table)
        console.print(f"instructions: {result.instructions:,}")
        console.print(f"arena_bytes: {result.arena_bytes:,}  runtime_ram_bytes: {result.runtime_ram_bytes:,}")
        console.print(f"flash: runtime {result.extra['flash_runtime_bytes']:,} + kernels "
                      f"{result.extra['flash_kernels_bytes']:,} = code {result.flash_code_bytes:,}; "
                      f"model {result.flash_model_bytes:,}")
        console.print(f"bit-exact vs host runtime: {result.bit_exact}  (emulated in {result.seconds:.1f} s)")
        if args.plot:
            console.print(f"wrote {args.plot}")
    return 0 if result.bit_exact else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tinyrt", description="int8 inference for microcontrollers")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("convert", help="convert a .tflite model to a tinyrt blob (and a C array)")
    p.add_argument("model")
    p.add_argument("-o", "--output", help="blob path (default: MODEL.trt)")
    p.add_argument("--c-array", metavar="FILE.c", help="also write the blob as a C array (+ FILE.h)")
    p.add_argument("--name", help="C identifier of the array (default: the model's file name)")
    p.add_argument("--no-inplace", action="store_true", help="never run depthwise convolutions in place")
    p.set_defaults(func=cmd_convert)

    p = sub.add_parser("run", help="run a .tflite or .trt model on the host C runtime")
    p.add_argument("model")
    p.add_argument("--input", nargs="*", help=".npy file per model input (default: random)")
    p.add_argument("--output", help="save output 0 as .npy")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("check", help="bit-exactness against TFLM on random inputs")
    p.add_argument("model")
    p.add_argument("--samples", type=int, default=50)
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("plan", help="memory plan table (and plot)")
    p.add_argument("model")
    p.add_argument("--plot", metavar="FILE.png")
    p.add_argument("--no-inplace", action="store_true")
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

    p = sub.add_parser("bench", help="instructions per inference, per op, counted in emulation (unicorn)")
    p.add_argument("model")
    p.add_argument("--board", default="mps2-an386")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--plot", metavar="FILE.png", help="bar chart of the per-op instructions")
    p.add_argument("--seed", type=int, default=0, help="seed of the random input")
    p.add_argument("--workdir", help="keep the bench firmware here (default: a temporary folder)")
    p.set_defaults(func=cmd_bench)

    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except (ConvertError, TfliteError, FileNotFoundError) as exc:
        console.print(f"[red]error:[/red] {exc}")
        return 2
    except RuntimeError as exc:  # TinyrtError and friends
        console.print(f"[red]error:[/red] {exc}")
        return 2


if __name__ == "__main__":
    sys.exit(main())
