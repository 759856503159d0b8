#!/usr/bin/env python3
"""Mutation fuzzer for the .tflite converter (the Python half of tools/fuzz).

    .venv/bin/python tools/fuzz_tflite.py [-n 20000] [--seed 1] [--jobs 2] [--timeout 10]

Seeds: the shared MLPerf Tiny models (../shared/models/*.tflite, read in
place), tests/models.py all_ops_model and a few models of each tests/cases.py
generator. Each mutant is 1 to 3 mutations of one seed, deterministic for
(seed, index): truncation, bit flips, random bytes, and, at the places the
flatbuffer verifier followed in the seed (tinyrt.flatbuf Spot), corrupted
uoffsets, soffsets, vtables and field entries, vector lengths and elements,
scalar fields, all with 'interesting' values (0, -1, -2, limits, 2**31,
float NaN/inf/1e-12...). Each mutant goes through compile_tflite, which ends
with the host loader's validation of the blob.

Outcomes: ok (converted, the loader accepts the blob), TfliteError,
ConvertError, refused (the loader refused a blob: a converter bug), raw
(any other exception), hang (over --timeout seconds). Exit status 1 when
refused + raw + hang > 0; the first few of each are printed with their
(seed model, index) to reproduce with --only.
"""

from __future__ import annotations

import argparse
import collections
import math
import os
import random
import signal
import struct
import sys
import time
import traceback
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "models"
sys.path[:0] = [str(ROOT / "python"), str(ROOT / "tests")]

from tinyrt.compiler import compile_tflite  # noqa: E402
from tinyrt.convert import ConvertError  # noqa: E402
from tinyrt.flatbuf import Spot, verify  # noqa: E402
from tinyrt.tflite import TfliteError, _op_name  # noqa: E402

INTERESTING_32 = [0, 1, 2, 3, 4, 7, 8, -1, -2, -128, 127, 128, 255, 256, 1024, 1025, 8191, 8192, 65535, 65536,
                  70000, 2**31 - 1, -(2**31), 2**31 - 2, 2**30, 2**32 - 4, 0x7FFFFFF0]
INTERESTING_FLOAT = [0.0, -0.0, -1.0, 1e-12, 1e12, 1e-45, 3.4e38, math.inf, -math.inf, math.nan, 1 / 256, 1.0]
INTERESTING_16 = [0, 1, 2, 3, 4, 5, 6, 8, 0xFFFF, 0xFFFE, 0x8000, 0x7FFF, 64, 255, 256]
INTERESTING_8 = [0, 1, 2, 3, 4, 5, 6, 0x7F, 0x80, 0xFF, 0xFE, 0x10, 0x40]


def seed_models(n_cases: int = 3) -> list[tuple[str, bytes]]:
    """(name, .tflite bytes): shared models, all_ops_model, cases generators."""
    from cases import LITERT_OPS, OPS, make_case
    from models import all_ops_model

    seeds = [(p.stem, p.read_bytes()) for p in sorted(SHARED.glob("*.tflite"))]
    seeds.append(("all_ops_model", all_ops_model()))
    for op in sorted({**OPS, **LITERT_OPS}):
        for s in range(n_cases):
            case = make_case(op, s)
            seeds.append((f"{op}-{s}", case.tinyrt_model or case.model))
    return seeds


class Mutator:
    """Deterministic mutants of one seed model."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        spots: list[Spot] = []
        verify(data, _op_name, spots)
        self.by_kind: dict[str, list[Spot]] = collections.defaultdict(list)
        for s in spots:
            if s.size > 0:
                self.by_kind[s.kind].append(s)

    def mutant(self, seed: int) -> tuple[bytes, list[str]]:
        rng = random.Random(seed)
        buf = bytearray(self.data)
        done = []
        for _ in range(rng.choice((1, 1, 1, 2, 3))):
            done.append(self.mutate(rng, buf))
            if done[-1].startswith("truncate"):
                break
        return bytes(buf), done

    def _spot(self, rng: random.Random, *kinds: str) -> Spot | None:
        pool = [k for k in kinds if self.by_kind.get(k)]
        return rng.choice(self.by_kind[rng.choice(pool)]) if pool else None

    def mutate(self, rng: random.Random, buf: bytearray) -> str:
        what = rng.choice(("truncate", "bitflip", "bytes", "offset", "offset", "vtable", "vtable", "length",
                           "scalar", "scalar", "element", "element", "element"))
        n = len(buf)
        if what == "truncate":
            cut = rng.randrange(n) if rng.random() < 0.5 else rng.randrange(min(n, 4096))
            del buf[cut:]
            return f"truncate {cut}"
        if what == "bitflip":
            flips = []
            for _ in range(rng.randint(1, 4)):
                i = rng.randrange(n)
                buf[i] ^= 1 << rng.randrange(8)
                flips.append(i)
            return f"bitflip {flips}"
        if what == "bytes":
            i = rng.randrange(n)
            k = min(rng.randint(1, 8), n - i)
            buf[i : i + k] = bytes(rng.randrange(256) for _ in range(k))
            return f"bytes {i}+{k}"
        if what == "offset":
            s = self._spot(rng, "uoffset", "soffset", "root")
            if s is None:
                return "none"
            old = struct.unpack_from("<i", buf, s.pos)[0]
            v = rng.choice([rng.choice(INTERESTING_32), old + rng.choice((-8, -4, -2, -1, 1, 2, 4, 8)),
                            rng.randrange(n), n - s.pos, n - s.pos - 4, -s.pos, old * 2])
            struct.pack_into("<I", buf, s.pos, v & 0xFFFFFFFF)
            return f"{s.kind} at {s.pos}: {old} -> {v}"
        if what == "vtable":
            s = self._spot(rng, "vtable", "field")
            if s is None:
                return "none"
            pos = s.pos + (rng.choice((0, 2)) if s.kind == "vtable" else 0)
            old = struct.unpack_from("<H", buf, pos)[0]
            v = rng.choice([rng.choice(INTERESTING_16), old + rng.choice((-4, -2, -1, 1, 2, 4)),
                            rng.randrange(1 << 16)])
            struct.pack_into("<H", buf, pos, v & 0xFFFF)
            return f"{s.kind} at {pos}: {old} -> {v}"
        if what == "length":
            s = self._spot(rng, "length")
            if s is None:
                return "none"
            old = struct.unpack_from("<I", buf, s.pos)[0]
            v = rng.choice([rng.choice(INTERESTING_32), old + rng.choice((-2, -1, 1, 2)), 0])
            struct.pack_into("<I", buf, s.pos, v & 0xFFFFFFFF)
            return f"length at {s.pos}: {old} -> {v}"
        if what == "scalar":
            s = self._spot(rng, "scalar")
            if s is None:
                return "none"
            return self._write_value(rng, buf, s.pos, s.size, "scalar")
        s = self._spot(rng, "elements4", "elements8", "elements1")
        if s is None:
            return "none"
        if s.kind == "elements1":
            pos = s.pos + rng.randrange(max(1, s.size - 3)) // 4 * 4
            size = 4 if s.size >= 4 else 1
        else:
            size = int(s.kind[8:])
            pos = s.pos + rng.randrange(s.size // size) * size
        return self._write_value(rng, buf, pos, size, "element")

    def _write_value(self, rng: random.Random, buf: bytearray, pos: int, size: int, what: str) -> str:
        if size == 4 and rng.random() < 0.3:
            f = rng.choice(INTERESTING_FLOAT)
            struct.pack_into("<f", buf, pos, f)
            return f"{what} at {pos}: float {f}"
        if size == 1:
            v = rng.choice(INTERESTING_8 + [rng.randrange(256)])
            buf[pos] = v
        elif size == 8:
            v = rng.choice(INTERESTING_32 + [2**63 - 1, -(2**63), 1 << 40])
            struct.pack_into("<q", buf, pos, v)
        else:
            v = rng.choice(INTERESTING_32 + [rng.randrange(-(2**31), 2**31)])
            fmt = "<i" if size == 4 else "<h"
            v = (v + 2**31) % 2**32 - 2**31 if size == 4 else max(-(2**15), min(2**15 - 1, v))
            struct.pack_into(fmt, buf, pos, v)
        return f"{what} at {pos} ({size} bytes): {v}"


class Hang(Exception):
    pass


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise Hang()


_SEEDS: list[tuple[str, bytes]] = []
_MUTATORS: dict[int, Mutator] = {}


def _init(seeds: list[tuple[str, bytes]]) -> None:
    _SEEDS[:] = seeds
    signal.signal(signal.SIGALRM, _alarm)


def run_one(model: int, index: int, timeout: float) -> tuple[str, str]:
    """(outcome, detail) of mutant `index` of seed `model`."""
    if model not in _MUTATORS:
        _MUTATORS[model] = Mutator(_SEEDS[model][1])
    data, how = _MUTATORS[model].mutant(index)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        compile_tflite(data)
        outcome, detail = "ok", ""
    except Hang:
        outcome, detail = "hang", ""
    except TfliteError as exc:
        outcome, detail = "TfliteError", str(exc)
    except ConvertError as exc:
        outcome = "refused" if str(exc).startswith("internal error") else "ConvertError"
        detail = str(exc)
    except Exception as exc:  # noqa: BLE001 - the point: anything else is a finding
        outcome, detail = "raw", f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=6)}"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    name = _SEEDS[model][0]
    return outcome, f"{name} #{index} ({'; '.join(how)}): {detail}"


def _batch(args: tuple[list[tuple[int, int]], float]) -> list[tuple[str, str]]:
    jobs, timeout = args
    return [run_one(m, i, timeout) for m, i in jobs]


def plan_jobs(seeds: list[tuple[str, bytes]], n: int, seed: int) -> list[tuple[int, int]]:
    """n (seed model, mutant index) pairs: the shared models get half, the
    generated ones the other half."""
    rng = random.Random(seed)
    shared = [i for i, (name, _) in enumerate(seeds) if (SHARED / f"{name}.tflite").exists()]
    small = [i for i in range(len(seeds)) if i not in shared]
    jobs = []
    for k in range(n):
        pool = shared if shared and k % 2 == 0 else small
        jobs.append((rng.choice(pool), seed * 1_000_003 + k))
    return jobs


def campaign(n: int, seed: int, jobs: int, timeout: float, n_cases: int = 3,
             only: tuple[str, int] | None = None) -> tuple[collections.Counter[str], dict[str, list[str]], float]:
    seeds = seed_models(n_cases)
    work = plan_jobs(seeds, n, seed)
    if only is not None:
        work = [([name for name, _ in seeds].index(only[0]), only[1])]
    chunks = [work[i : i + 50] for i in range(0, len(work), 50)]
    counts: collections.Counter[str] = collections.Counter()
    examples: dict[str, list[str]] = collections.defaultdict(list)
    start = time.monotonic()
    results: Iterator[list[tuple[str, str]]]
    if jobs == 1:
        _init(seeds)
        results = map(_batch, [(c, timeout) for c in chunks])
        for batch in results:
            _tally(batch, counts, examples)
    else:
        with ProcessPoolExecutor(jobs, initializer=_init, initargs=(seeds,)) as pool:
            for batch in pool.map(_batch, [(c, timeout) for c in chunks]):
                _tally(batch, counts, examples)
    return counts, examples, time.monotonic() - start


def _tally(batch: list[tuple[str, str]], counts: collections.Counter[str], examples: dict[str, list[str]]) -> None:
    for outcome, detail in batch:
        counts[outcome] += 1
        source = "shared" if (SHARED / f"{detail.split(' #', 1)[0]}.tflite").exists() else "generated"
        counts[f"{source}:{outcome}"] += 1
        if len(examples[outcome]) < 5:
            examples[outcome].append(detail)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=20000, help="number of mutants")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds per mutant before it counts as a hang")
    ap.add_argument("--cases", type=int, default=3, help="models per tests/cases.py generator")
    ap.add_argument("--only", nargs=2, metavar=("MODEL", "INDEX"), help="run one mutant, e.g. to reproduce")
    ap.add_argument("-v", "--verbose", action="store_true", help="print examples of every outcome")
    args = ap.parse_args()
    only = (args.only[0], int(args.only[1])) if args.only else None
    counts, examples, seconds = campaign(args.n, args.seed, args.jobs, args.timeout, args.cases, only)
    total = sum(v for k, v in counts.items() if ":" not in k)
    print(f"{total} mutants in {seconds:.1f} s (seed {args.seed}, {args.jobs} jobs)")
    print(f"  {'outcome':13} {'all':>7} {'shared':>7} {'generated':>9}")
    for outcome in ("ok", "TfliteError", "ConvertError", "refused", "raw", "hang"):
        print(f"  {outcome:13} {counts[outcome]:7} {counts['shared:' + outcome]:7} {counts['generated:' + outcome]:9}")
    bad = counts["refused"] + counts["raw"] + counts["hang"]
    for outcome, found in examples.items():
        if outcome in ("refused", "raw", "hang") or args.verbose or only:
            for e in found:
                print(f"--- {outcome}: {e}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
