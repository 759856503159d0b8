#!/usr/bin/env python3
"""Coverage-guided fuzzing of the C loader and interpreter with libFuzzer.

Builds tools/fuzz/fuzz_libfuzzer.c with clang (-fsanitize=fuzzer,address,
undefined, every UBSan report fatal) for x86-64 and for i386 (-m32: 32-bit
pointers, as on Cortex-M and RV32, where forming a pointer from an unchecked
offset wraps), into build/fuzz/.

  run_libfuzzer.py build                       build both fuzzers
  run_libfuzzer.py check [--runs N] [--seed S] replay the committed corpus, then N
                                               runs from it, per build (the CI test)
  run_libfuzzer.py campaign --runs N           N executions per build (one at a time,
                                               one process each), growing build/fuzz/corpus-<bits>,
                                               then line coverage of runtime + kernels
  run_libfuzzer.py coverage [DIR...]           llvm-cov line coverage of runtime/ and
                                               kernels/ over the committed corpus and DIRs
  run_libfuzzer.py minimize [DIR...]           rewrite the committed corpus
                                               (tools/fuzz/corpus) as a small set cover of
                                               the edges of itself and DIRs
  run_libfuzzer.py seeds DIR                   write seed blobs (tests/models.py) to DIR
  run_libfuzzer.py regress                     rewrite tools/fuzz/regress: hand-made blobs
                                               (valid CRC) with offsets that would wrap a
                                               32-bit pointer if one were formed unchecked

Every run also replays tools/fuzz/regress.

Exit status 0 only when every run finished without a report.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "build" / "fuzz"
CORPUS = ROOT / "tools" / "fuzz" / "corpus"
REGRESS = ROOT / "tools" / "fuzz" / "regress"
HARNESS = ROOT / "tools" / "fuzz" / "fuzz_libfuzzer.c"
BITS = (64, 32)
MAX_LEN = 8192
WARNINGS = ["-Wall", "-Wextra", "-Werror", "-Wshadow", "-Wstrict-prototypes", "-Wmissing-prototypes"]


def sources() -> list[Path]:
    return sorted([*(ROOT / "runtime" / "src").glob("*.c"), *(ROOT / "runtime" / "src" / "ops").glob("*.c"),
                   *(ROOT / "kernels" / "ref").glob("*.c"), *(ROOT / "kernels" / "arm_dsp").glob("*.c"), HARNESS])


def build(bits: int, coverage: bool = False) -> Path:
    """One fuzzer binary; rebuilt only when a source or header changed."""
    OUT.mkdir(parents=True, exist_ok=True)
    exe = OUT / (f"cov-{bits}" if coverage else f"fuzz-{bits}")
    # Both kernel directories the host builds (arm_dsp through its C model of the instructions).
    flags = ["-std=c99", "-g", "-fno-omit-frame-pointer", *WARNINGS, "-DTRT_BUILD_KERNELS_REF",
             "-DTRT_BUILD_KERNELS_ARM_DSP",
             f"-I{ROOT / 'runtime' / 'include'}", f"-I{ROOT / 'kernels' / 'include'}", f"-I{ROOT / 'runtime' / 'src'}"]
    if bits == 32:
        flags.append("-m32")
    if coverage:
        flags += ["-O0", "-fsanitize=fuzzer", "-fprofile-instr-generate", "-fcoverage-mapping"]
    else:
        flags += ["-O1", "-fsanitize=fuzzer,address,undefined", "-fno-sanitize-recover=all"]
    srcs = sources()
    headers = [*ROOT.glob("runtime/include/tinyrt/*.h"), *ROOT.glob("runtime/src/**/*.h"),
               *ROOT.glob("kernels/include/**/*.h"), *ROOT.glob("kernels/ref/*.h"), *ROOT.glob("kernels/arm_dsp/*.h")]
    digest = hashlib.sha256(" ".join(flags).encode())
    for f in sorted(srcs + headers):
        digest.update(f.read_bytes())
    stamp = exe.with_suffix(".sha")
    if exe.exists() and stamp.exists() and stamp.read_text() == digest.hexdigest():
        return exe
    cmd = ["clang", *flags, *map(str, srcs), "-o", str(exe)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"run_libfuzzer: build failed:\n{proc.stderr}")
    stamp.write_text(digest.hexdigest())
    return exe


def run(exe: Path, args: list[str], log: Path | None = None) -> tuple[int, str]:
    env = dict(os.environ, UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1",
               ASAN_OPTIONS="abort_on_error=1:detect_leaks=1")
    if log is None:
        proc = subprocess.run([str(exe), *args], capture_output=True, text=True, env=env)
        return proc.returncode, proc.stderr
    # Straight to the file, so a long campaign's progress can be followed.
    with log.open("w") as f:
        rc = subprocess.run([str(exe), *args], stdout=f, stderr=subprocess.STDOUT, env=env).returncode
    return rc, log.read_text()


def stats(log: str) -> dict[str, int]:
    """Executions and coverage from libFuzzer's last status line."""
    found = re.findall(r"#(\d+)\s+\w+\s+cov: (\d+) ft: (\d+)", log)
    execs = re.findall(r"stat::number_of_executed_units: (\d+)", log)
    out = {"execs": int(execs[-1]) if execs else (int(found[-1][0]) if found else 0)}
    if found:
        out["cov"], out["ft"] = int(found[-1][1]), int(found[-1][2])
    return out


def check(runs: int, seed: int, seconds: int) -> int:
    """The CI run: every committed input replayed, then `runs` fresh ones
    per build (a scratch copy of the corpus grows, the committed one not)."""
    status = 0
    for bits in BITS:
        exe = build(bits)
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp) / "corpus"
            shutil.copytree(CORPUS, work)
            t0 = time.time()
            rc, log = run(exe, [f"-runs={runs}", f"-seed={seed}", f"-max_total_time={seconds}",
                                f"-max_len={MAX_LEN}", "-timeout=10", "-rss_limit_mb=2048",
                                "-print_final_stats=1", str(work), str(REGRESS)])
            s = stats(log)
            print(f"{bits}-bit: {s.get('execs', 0)} executions, cov {s.get('cov', 0)}, "
                  f"{time.time() - t0:.1f} s, exit {rc}")
            if rc != 0:
                print(log[-6000:], file=sys.stderr)
                status = 1
    return status


def campaign(runs: int, seed: int, dirs: list[Path]) -> int:
    status = 0
    results = {}
    for bits in BITS:
        exe = build(bits)
        work = OUT / f"corpus-{bits}"
        work.mkdir(parents=True, exist_ok=True)
        for f in CORPUS.iterdir():
            shutil.copy(f, work / f.name)
        log = OUT / f"campaign-{bits}.log"
        t0 = time.time()
        rc, text = run(exe, [f"-runs={runs}", f"-seed={seed}", f"-max_len={MAX_LEN}", "-timeout=10",
                             "-rss_limit_mb=2048", "-print_final_stats=1",
                             f"-artifact_prefix={OUT}/crash-{bits}-", str(work), str(REGRESS)], log)
        s = stats(text)
        results[bits] = {**s, "seconds": round(time.time() - t0, 1), "exit": rc}
        print(f"{bits}-bit: {s.get('execs', 0)} executions, cov {s.get('cov', 0)}, "
              f"{results[bits]['seconds']} s, exit {rc} (log {log})", flush=True)
        status |= rc != 0
    cov = coverage([OUT / f"corpus-{bits}" for bits in BITS] + dirs)
    results["line_coverage"] = cov
    (OUT / "campaign.json").write_text(json.dumps(results, indent=1))
    return status


def coverage(dirs: list[Path]) -> float:
    """Line coverage of runtime/ and kernels/ when the committed corpus and
    `dirs` are replayed (64-bit, source-based coverage)."""
    exe = build(64, coverage=True)
    inputs = [str(CORPUS), str(REGRESS)] + [str(d) for d in dirs if d.exists()]
    raw = OUT / "cov.profraw"
    env = dict(os.environ, LLVM_PROFILE_FILE=str(raw))
    subprocess.run([str(exe), "-runs=0", f"-max_len={MAX_LEN}", "-timeout=10", *inputs], env=env,
                   capture_output=True, text=True, check=True)
    data = OUT / "cov.profdata"
    subprocess.run(["llvm-profdata", "merge", "-sparse", str(raw), "-o", str(data)], check=True)
    files = [str(f) for f in sources() if f != HARNESS]
    report = subprocess.run(["llvm-cov", "report", str(exe), f"-instr-profile={data}", *files],
                            capture_output=True, text=True, check=True).stdout
    (OUT / "coverage.txt").write_text(report)
    subprocess.run(["llvm-cov", "show", str(exe), f"-instr-profile={data}", "-format=text",
                    "-show-line-counts-or-regions", f"-output-dir={OUT / 'coverage'}", *files], check=True)
    total = [line for line in report.splitlines() if line.startswith("TOTAL")][0].split()
    # TOTAL regions missed cover% functions missed exec% lines missed cover% ...
    lines, missed = int(total[7]), int(total[8])
    pct = 100.0 * (lines - missed) / lines
    print(report)
    print(f"line coverage of runtime + kernels: {lines - missed}/{lines} = {pct:.2f}% "
          f"(per-line listing in {OUT / 'coverage'})")
    return round(pct, 2)


def _features(exe: Path, f: Path, tmp: Path) -> set[int]:
    """The coverage edges one input reaches (a libFuzzer merge of it alone
    lists them all; in a merge of many, each input lists only its new ones)."""
    one, out, ctl = tmp / "one", tmp / "out", tmp / "ctl"
    for d in (one, out):
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir()
    (one / f.name).symlink_to(f.resolve())
    ctl.unlink(missing_ok=True)  # an existing control file would resume that merge
    run(exe, ["-merge=1", "-use_counters=0", f"-merge_control_file={ctl}", f"-max_len={MAX_LEN}", str(out),
              str(one)])
    return {int(x) for line in ctl.read_text().splitlines() if line.startswith("COV ") for x in line.split()[2:]}


def minimize(dirs: list[Path]) -> int:
    """The committed corpus as a small set cover of the coverage edges of
    itself, the regression blobs and `dirs`: a libFuzzer merge (edges only)
    narrows the candidates, then inputs are picked greedily, most new edges
    first, the seeds always kept."""
    exe = build(64)
    with tempfile.TemporaryDirectory() as tmp_:
        tmp = Path(tmp_)
        merged = tmp / "merged"
        merged.mkdir()
        rc, log = run(exe, ["-merge=1", "-use_counters=0", f"-max_len={MAX_LEN}", "-timeout=10", str(merged),
                            str(CORPUS), str(REGRESS), *[str(d) for d in dirs]])
        if rc != 0:
            print(log[-4000:], file=sys.stderr)
            return 1
        seeds = sorted(CORPUS.glob("all_ops_*.trt"))
        candidates = {f: _features(exe, f, tmp) for f in [*seeds, *sorted(merged.iterdir())]}
        covered: set[int] = set()
        for f in seeds:
            covered |= candidates.pop(f)
        chosen = []
        while candidates:
            best = max(candidates, key=lambda f: (len(candidates[f] - covered), -f.stat().st_size))
            if not candidates[best] - covered:
                break
            covered |= candidates.pop(best)
            chosen.append(best)
        for f in CORPUS.iterdir():
            if f not in seeds:
                f.unlink()
        for f in chosen:
            shutil.copy(f, CORPUS / f.name)
    files = list(CORPUS.iterdir())
    print(f"corpus: {len(files)} inputs, {sum(f.stat().st_size for f in files)} bytes, {len(covered)} edges")
    return 0


def seeds(out: Path) -> int:
    """Seed blobs: the all-ops test model (several weight seeds), compiled by
    the converter for the portable kernels and for arm_dsp's variants."""
    sys.path[:0] = [str(ROOT / "python"), str(ROOT / "tests")]
    from models import all_ops_model  # noqa: PLC0415
    from tinyrt.compiler import compile_tflite  # noqa: PLC0415

    out.mkdir(parents=True, exist_ok=True)
    for seed in range(3):
        blob = compile_tflite(all_ops_model(seed)).blob
        (out / f"all_ops_{seed}.trt").write_bytes(blob)
        blob = compile_tflite(all_ops_model(seed), kernels=("ref", "arm_dsp")).blob
        (out / f"all_ops_dsp_{seed}.trt").write_bytes(blob)
    return 0


def regress() -> int:
    """Blobs from the first seed, CRC recomputed, each with one offset near
    2^32: every one must be refused before a pointer is formed from it (on
    32-bit, base + offset would wrap: UBSan's pointer-overflow)."""
    import struct
    import zlib

    seed = (CORPUS / "all_ops_0.trt").read_bytes()
    header = list(struct.unpack_from("<18I", seed))
    tensors_off, ops_off, data_off = header[6], header[8], header[15]
    TENSOR, OP = 44, 36  # trt_tensor_desc_t, trt_op_desc_t
    edits = {  # name: (byte offset of a uint32 field, value)
        "header_tensors_off": (4 * 6, 0xFFFFFFF0),
        "header_data_off": (4 * 15, 0xFFFFFFFC),
        "header_data_len": (4 * 16, 0xFFFFFFFC),
        "header_arena_bytes": (4 * 4, 0xFFFFFFFC),
        "tensor0_offset": (tensors_off + 8, 0xFFFFFFFC),
        "tensor1_offset": (tensors_off + TENSOR + 8, 0x80000000),
        "tensor1_bytes": (tensors_off + TENSOR + 12, 0xFFFFFFFC),
        "op0_params_off": (ops_off + 8, 0xFFFFFFFC),
        "op1_params_off": (ops_off + OP + 8, 0x80000000),
        "op1_params_off_past_data": (ops_off + OP + 8, header[16]),
        "op0_operands": (ops_off + 16, 0xFFFFFFFF),
        "op0_n_inputs": (ops_off + 20, 0xFFFFFFFF),
        "op1_scratch_off": (ops_off + OP + 28, 0xFFFFFFF0),
        "op1_scratch_bytes": (ops_off + OP + 32, 0xFFFFFFF0),
    }
    assert data_off > ops_off + 2 * OP
    REGRESS.mkdir(parents=True, exist_ok=True)
    for f in REGRESS.glob("*.trt"):
        f.unlink()
    for name, (at, value) in edits.items():
        blob = bytearray(seed)
        struct.pack_into("<I", blob, at, value)
        total = struct.unpack_from("<I", blob, 8)[0]
        struct.pack_into("<I", blob, 12, zlib.crc32(bytes(blob[16:total])))
        (REGRESS / f"{name}.trt").write_bytes(bytes(blob))
    print(f"wrote {len(edits)} blobs to {REGRESS}")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("what", choices=["build", "check", "campaign", "coverage", "minimize", "seeds", "regress"])
    ap.add_argument("dirs", nargs="*", type=Path)
    ap.add_argument("--runs", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--seconds", type=int, default=60, help="check: time cap per build")
    args = ap.parse_args()
    if shutil.which("clang") is None:
        sys.exit("run_libfuzzer: clang not found (tools/setup.sh installs it)")
    if args.what == "build":
        for bits in BITS:
            print(build(bits))
        return 0
    if args.what == "check":
        return check(args.runs, args.seed, args.seconds)
    if args.what == "campaign":
        return campaign(args.runs, args.seed, args.dirs)
    if args.what == "coverage":
        coverage(args.dirs)
        return 0
    if args.what == "minimize":
        return minimize(args.dirs)
    if args.what == "regress":
        return regress()
    return seeds(args.dirs[0] if args.dirs else CORPUS)


if __name__ == "__main__":
    sys.exit(main())
