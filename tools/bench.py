#!/usr/bin/env python3
"""The benchmark over the four MLPerf Tiny models, against TFLM and a baseline.

    .venv/bin/python tools/bench.py [--kernels ref] [--out build/bench] [--update]

Runs `tinyrt bench` (tinyrt.target.emu.bench: emulated instruction counts and
the Cortex-M4 cycle estimate) for kws_ref_model, vww_96_int8,
pretrainedResnet_quant and ad01_int8 from ../shared/models on mps2-an386, and
writes to --out:
- bench.md: a Markdown table (MACs, instructions, cycles (est.), ms (est.) at
  120 MHz, arena, flash code, bit-exact, and TFLM's instruction counts with
  the reference kernels and with CMSIS-NN, against the target of 0.7x
  TFLM+CMSIS-NN), also printed;
- bench.png: tinyrt against both TFLM builds per model (log scale);
- bench.json: the full results.

Then it compares with tools/bench_baseline.json: instruction counts, flash and
arena are deterministic, so any of them above the baseline is a regression and
the exit status is 1 (also when an output is not bit-exact). `--update`
rewrites the baseline from this run instead. Without ../shared/models the
benchmark is skipped with a message (exit 0).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "python"))

MODELS = ("kws_ref_model", "vww_96_int8", "pretrainedResnet_quant", "ad01_int8")
MODELS_DIR = ROOT.parent / "shared" / "models"
BASELINE = ROOT / "tools" / "bench_baseline.json"
BOARD = "mps2-an386"
MHZ = 120  # a common Cortex-M4 clock (nucleo-l4r5zi's): ms (est.) are cycles at this clock
# Instructions per inference of TFLM on the same models, with its reference
# kernels and with CMSIS-NN: the figures tinyrt is compared with. The goal is
# 0.7x TFLM+CMSIS-NN.
TFLM_REFERENCE = {"kws_ref_model": 42_215_647, "vww_96_int8": 99_301_741, "pretrainedResnet_quant": 105_653_588,
                  "ad01_int8": 1_952_348}
TFLM_CMSIS_NN = {"kws_ref_model": 7_581_267, "vww_96_int8": 23_776_245, "pretrainedResnet_quant": 29_777_152,
                 "ad01_int8": 582_960}
TARGET = 0.7
# What a regression is: any of these above the baseline.
GUARDED = ("instructions", "flash_code_bytes", "arena_bytes")


def macs(graph: Any) -> int:
    """Multiply-accumulates of one inference: convolutions, depthwise and
    fully connected layers (output elements x the filter taps each one sums)."""
    total = 0
    for op in graph.ops:
        name = op.type.name
        if name not in ("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED"):
            continue
        out = graph.tensors[op.outputs[0]].elements
        fshape = graph.tensors[op.inputs[1]].shape
        if name == "CONV_2D":  # OHWI: each output sums kh * kw * in_c products
            taps = fshape[1] * fshape[2] * fshape[3]
        elif name == "DEPTHWISE_CONV_2D":  # 1HWC: kh * kw per output channel
            taps = fshape[1] * fshape[2]
        else:  # (out, in)
            taps = fshape[-1]
        total += out * taps
    return total


def run(models_dir: Path, kernels: str | None) -> list[dict[str, Any]]:
    """Bench each model on BOARD, with a progress bar; one JSON document per model."""
    from rich.progress import Progress

    from tinyrt.compiler import compile_tflite
    from tinyrt.target.boards import kernel_dirs
    from tinyrt.target.emu import bench

    results = []
    with Progress(transient=True) as progress:
        task = progress.add_task("benchmarking", total=len(MODELS))
        for name in MODELS:
            progress.update(task, description=f"{name} on {BOARD}")
            path = models_dir / f"{name}.tflite"
            compiled = compile_tflite(path.read_bytes(), kernels=kernel_dirs(BOARD, kernels))
            doc = bench(path, BOARD, compiled=compiled, kernels=kernels).to_json()
            doc["macs"] = macs(compiled.graph)
            results.append(doc)
            progress.advance(task)
    return results


def _n(v: int | None) -> str:
    return "" if v is None else f"{v:,}"


def markdown(results: Sequence[Mapping[str, Any]], kernels: str | None) -> str:
    cols = ("model", "MACs", "instructions", "cycles (est.)", f"ms (est.) at {MHZ} MHz", "arena", "flash code",
            "bit-exact", "TFLM reference", "TFLM+CMSIS-NN", "vs CMSIS-NN", f"target {TARGET}x")
    lines = [f"tinyrt on {BOARD} (kernels: {kernels or 'board'}): instructions emulated (unicorn); cycles "
             f"estimated from the Cortex-M4 TRM timings (zero wait states), ms at {MHZ} MHz; "
             "TFLM columns are instructions.", "",
             "| " + " | ".join(cols) + " |", "|---|" + "---:|" * (len(cols) - 1)]
    for r in results:
        name = r["model"]
        cyc = r.get("cycles_estimate")
        ms = "" if cyc is None else f"{1000 * cyc / (MHZ * 1e6):,.1f}"
        cmsis = TFLM_CMSIS_NN.get(name)
        ratio = "" if cmsis is None else f"{r['instructions'] / cmsis:.2f}x"
        met = "" if cmsis is None else ("met" if r["instructions"] <= TARGET * cmsis else "not met")
        lines.append("| " + " | ".join((
            name, _n(r.get("macs")), _n(r["instructions"]), _n(cyc), ms, _n(r["arena_bytes"]),
            _n(r["flash_code_bytes"]), "yes" if r["bit_exact"] else "NO", _n(TFLM_REFERENCE.get(name)),
            _n(cmsis), ratio, met)) + " |")
    return "\n".join(lines) + "\n"


def chart(results: Sequence[Mapping[str, Any]], path: Path) -> None:
    """Grouped bars per model: tinyrt, TFLM reference, TFLM+CMSIS-NN (log scale),
    with the 0.7x CMSIS-NN target as a tick over each group."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [r["model"] for r in results]
    series = [("tinyrt", [r["instructions"] for r in results], "tab:blue"),
              ("TFLM reference", [TFLM_REFERENCE.get(n, 0) for n in names], "tab:gray"),
              ("TFLM+CMSIS-NN", [TFLM_CMSIS_NN.get(n, 0) for n in names], "tab:orange")]
    fig, ax = plt.subplots(figsize=(8, 4.5))
    width = 0.27
    for k, (label, values, color) in enumerate(series):
        ax.bar([i + (k - 1) * width for i in range(len(names))], values, width, label=label, color=color)
    targets = [TARGET * TFLM_CMSIS_NN[n] for n in names if n in TFLM_CMSIS_NN]
    xs = [i for i, n in enumerate(names) if n in TFLM_CMSIS_NN]
    ax.hlines(targets, [x - 1.5 * width for x in xs], [x + 1.5 * width for x in xs], colors="tab:red",
              linestyles="dashed", label=f"target: {TARGET}x TFLM+CMSIS-NN")
    ax.set_yscale("log")
    ax.set_xticks(range(len(names)), names)
    ax.set_ylabel("instructions per inference (log)")
    ax.set_title(f"instructions per inference on {BOARD} (Cortex-M4)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def baseline_doc(results: Sequence[Mapping[str, Any]], kernels: str | None) -> dict[str, Any]:
    return {"board": BOARD, "kernels": kernels or "board",
            "models": {r["model"]: {k: r[k] for k in (*GUARDED, "cycles_estimate")} for r in results}}


def compare(results: Sequence[Mapping[str, Any]], baseline: Mapping[str, Any],
            kernels: str | None) -> tuple[list[str], list[str]]:
    """(regressions, notes) of this run against the baseline. A regression:
    a guarded figure above the baseline's, an output not bit-exact, or a
    baseline for another board or kernel choice (the numbers would not compare)."""
    regressions: list[str] = []
    notes: list[str] = []
    want = (BOARD, kernels or "board")
    have = (baseline.get("board"), baseline.get("kernels"))
    if have != want:
        return [f"the baseline is for board {have[0]}, kernels {have[1]}; this run is {want[0]}, kernels {want[1]}"], []
    base_models = baseline.get("models", {})
    for r in results:
        name = r["model"]
        if not r["bit_exact"]:
            regressions.append(f"{name}: output not bit-exact")
        base = base_models.get(name)
        if base is None:
            notes.append(f"{name}: not in the baseline (--update adds it)")
            continue
        for key in GUARDED:
            old, new = base[key], r[key]
            change = f"{new - old:+,}, {100 * (new - old) / max(old, 1):+.2f}%"
            if new > old:
                regressions.append(f"{name}: {key} {new:,} > baseline {old:,} ({change})")
            elif new < old:
                notes.append(f"{name}: {key} {new:,} < baseline {old:,} ({change}): --update lowers the baseline")
    return regressions, notes


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--kernels", help="passed to tinyrt bench: board (default), ref, or a list such as ref,arm_dsp")
    p.add_argument("--out", default=str(ROOT / "build" / "bench"), help="folder for bench.md, bench.png, bench.json")
    p.add_argument("--models-dir", default=str(MODELS_DIR), help="where the four .tflite models are")
    p.add_argument("--baseline", default=str(BASELINE), help="baseline JSON to compare with (or to --update)")
    p.add_argument("--update", action="store_true", help="rewrite the baseline from this run instead of comparing")
    args = p.parse_args(argv)

    models_dir = Path(args.models_dir)
    missing = [m for m in MODELS if not (models_dir / f"{m}.tflite").is_file()]
    if missing:
        print(f"bench skipped: {', '.join(missing)} not found in {models_dir} "
              "(the MLPerf Tiny models live in ../shared/models beside the checkout)", file=sys.stderr)
        return 0
    results = run(models_dir, args.kernels)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    table = markdown(results, args.kernels)
    (out / "bench.md").write_text(table)
    (out / "bench.json").write_text(json.dumps(results, indent=2) + "\n")
    chart(results, out / "bench.png")
    print(table)
    print(f"wrote {out / 'bench.md'}, {out / 'bench.png'}, {out / 'bench.json'}")

    baseline_path = Path(args.baseline)
    if args.update:
        baseline_path.write_text(json.dumps(baseline_doc(results, args.kernels), indent=2) + "\n")
        print(f"baseline updated: {baseline_path}")
        return 0 if all(r["bit_exact"] for r in results) else 1
    if not baseline_path.is_file():
        print(f"no baseline at {baseline_path}: run with --update to make one", file=sys.stderr)
        return 1
    regressions, notes = compare(results, json.loads(baseline_path.read_text()), args.kernels)
    for line in notes:
        print(f"note: {line}")
    for line in regressions:
        print(f"REGRESSION: {line}", file=sys.stderr)
    if not regressions:
        print(f"no regression against {baseline_path}")
    return 1 if regressions else 0


if __name__ == "__main__":
    sys.exit(main())
