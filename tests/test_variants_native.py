"""Every kernel variant on the ISA it is written for: each (op, variant) pair
of format.KERNELS that mps2-an386 (Cortex-M4) builds runs, case by case, in
the board's "cases" firmware (every pair linked; tinyrt.target.cases) under
unicorn, and its whole output tensors must equal the host runtime's and
TFLM's. The cases are tests/cases.py's generated single-op models, compiled
for the reference kernels alone and for the board's kernel directories; a
case counts for every pair its blob runs. A pair no generated case reaches
fails: the generators would be missing the shapes its variant takes. A
sample of the cases also runs under QEMU, all in one QEMU process."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from cases import DSP_OPS, OPS, Case, make_case
from conftest import require_tools
from tinyrt import variants
from tinyrt.blob import kernels_of
from tinyrt.compiler import Compiled, compile_tflite
from tinyrt.format import KERNELS, LEGACY_OPS, OpType, Status, Variant
from tinyrt.native import Model
from tinyrt.target.boards import load_board

pytest.importorskip("unicorn")
from tinyrt.target.cases import CaseEmulator, CaseResult, CasesError, buffer_bytes, run_cases_qemu  # noqa: E402

pytestmark = [pytest.mark.cross, pytest.mark.qemu]

BOARD = "mps2-an386"
DIRS = tuple(load_board(BOARD)["kernel_dirs"])
# Cases per pair: the ISA-specific variants are what this test is for; the
# reference ones run on the host in test_kernels.py already.
CASES_PER_VARIANT = 500
CASES_PER_REF_VARIANT = 50
# Seeds each generator draws: at least MIN_SEEDS (a rare shape still shows
# up), then until every pair it reaches has its cases, at most MAX_SEEDS.
MIN_SEEDS = 100
MAX_SEEDS = 2000
QEMU_SAMPLE = 20

Pair = tuple[OpType, Variant]
# Pairs of ops the converter writes (format.LEGACY_OPS only load older blobs).
PAIRS: list[tuple[str, Pair]] = [(d, p) for d in DIRS for p in KERNELS.get(d, ()) if p[0] not in LEGACY_OPS]
# Ops with a variant outside the reference directory.
OPTIMIZED_OPS = {op for d, (op, _) in PAIRS if d != "ref"}
OPTIMIZED_PAIRS = {p for d, p in PAIRS if d != "ref"}


def _quota(directory: str) -> int:
    return CASES_PER_REF_VARIANT if directory == "ref" else CASES_PER_VARIANT


@dataclass(frozen=True)
class CaseBlob:
    name: str  # generator and seed, for messages
    case: Case
    blob: bytes


def _fits(compiled: Compiled, case: Case) -> bool:
    """Whether the case fits the cases firmware's buffers."""
    outputs = sum(compiled.graph.tensors[t].bytes for t in compiled.graph.outputs)
    inputs = sum(x.nbytes for x in case.inputs)
    return max(compiled.arena_bytes, len(compiled.blob), outputs, inputs) <= buffer_bytes(BOARD)


def _blobs(case: Case) -> Iterator[bytes]:
    """The case's blobs for the reference kernels alone and, when it has an
    op some optimized pair runs, for the board's kernel directories (the
    first runs on every board; the second takes an optimized variant where
    one exists, which may leave some reference pair unused); each with and
    without in-place variants (a single op's input dies at it, so in place is
    the converter's choice there); none for a case larger than the firmware's
    buffers."""
    model = case.tinyrt_model or case.model
    seen: set[bytes] = set()
    for inplace in (True, False):
        ref = compile_tflite(model, kernels=("ref",), inplace=inplace)
        compiled = [ref]
        if any(op in OPTIMIZED_OPS for op, _ in kernels_of(ref.blob)):
            compiled.append(compile_tflite(model, kernels=DIRS, inplace=inplace))
        for c in compiled:
            if c.blob not in seen and _fits(c, case):
                seen.add(c.blob)
                yield c.blob


@pytest.fixture(scope="module")
def collected() -> dict[Pair, list[CaseBlob]]:
    return collect()


def collect() -> dict[Pair, list[CaseBlob]]:
    """Up to the quota of cases per pair. The generators take turns, seed by
    seed, so a pair two generators reach fills from both at once; one stops
    once every pair it has reached is full (after MIN_SEEDS). Size
    thresholds of the selection (variants.py: where a variant stops paying)
    are lifted: the generators' shapes are small, and a variant must be
    exact at every size the loader lets it run."""
    with variants.all_sizes():
        return _collect()


def _collect() -> dict[Pair, list[CaseBlob]]:
    quota = {p: _quota(d) for d, p in PAIRS}
    by_pair: dict[Pair, list[CaseBlob]] = {p: [] for _, p in PAIRS}
    # The generators of every op, and those drawn for the optimized kernels' shapes.
    reached: dict[str, set[Pair]] = {op: set() for op in sorted({**OPS, **DSP_OPS})}
    for seed in range(MAX_SEEDS):
        for op, pairs_seen in reached.items():
            if seed >= MIN_SEEDS and all(len(by_pair[p]) >= quota[p] for p in pairs_seen):
                continue
            case = make_case(op, seed)
            for blob in _blobs(case):
                item = CaseBlob(f"{op} seed {seed}", case, blob)
                pairs = [p for p in kernels_of(blob) if p in by_pair]
                pairs_seen.update(pairs)
                for p in pairs:
                    if len(by_pair[p]) < quota[p]:
                        by_pair[p].append(item)
    return by_pair


@pytest.fixture(scope="module")
def emulator() -> CaseEmulator:
    require_tools(BOARD)
    return CaseEmulator(BOARD)


def _assert_equal(got: list[np.ndarray], want: list[np.ndarray], what: str) -> None:
    assert len(got) == len(want), what
    for g, w in zip(got, want, strict=True):
        assert g.dtype == w.dtype and g.shape == tuple(w.shape), f"{what}: {g.dtype}{g.shape} vs {w.dtype}{w.shape}"
        np.testing.assert_array_equal(g, w, err_msg=what)


@pytest.mark.parametrize(("directory", "pair"), PAIRS, ids=[f"{d}-{o.name}-{v.name}" for d, (o, v) in PAIRS])
def test_variant_on_target_matches_host_and_tflm(directory: str, pair: Pair, collected: dict[Pair, list[CaseBlob]],
                                                 emulator: CaseEmulator) -> None:
    items = collected[pair]
    assert len(items) == _quota(directory), (
        f"{len(items)} generated cases (tests/cases.py, {MAX_SEEDS} seeds per generator) run {pair[0].name} "
        f"{pair[1].name} of kernels/{directory}, {_quota(directory)} wanted: the generators miss the shapes it takes")
    for item in items:
        what = f"{pair[0].name} {pair[1].name}, {item.name}: {item.case.desc}"
        expected = item.case.expected()
        host = Model(item.blob).run(item.case.inputs)
        _assert_equal(host, expected, f"host vs TFLM, {what}")
        result = emulator.run(item.blob, item.case.inputs, count=True)
        assert result.status == 0, f"{BOARD}: {result.describe()}, {what}"
        assert result.instructions is not None and result.instructions > 0
        _assert_equal(result.split(host), expected, f"{BOARD} (unicorn) vs TFLM, {what}")


def test_instruction_counts_are_deterministic(collected: dict[Pair, list[CaseBlob]], emulator: CaseEmulator) -> None:
    """Counting does not change the outputs, and a case counts the same each time."""
    for pair, items in collected.items():
        if not items:
            continue
        item = items[0]
        first = emulator.run(item.blob, item.case.inputs, count=True)
        plain = emulator.run(item.blob, item.case.inputs)
        again = emulator.run(item.blob, item.case.inputs, count=True)
        assert first.status == plain.status == again.status == 0, pair
        assert first.outputs == plain.outputs == again.outputs, pair
        assert first.instructions == again.instructions, pair


def test_bad_blob_is_refused_with_a_status(collected: dict[Pair, list[CaseBlob]], emulator: CaseEmulator) -> None:
    item = next(items[0] for items in collected.values() if items)
    bad = bytearray(item.blob)
    bad[-1] ^= 0x40
    assert emulator.run(bytes(bad), item.case.inputs).status == Status.ERR_CRC
    # The next case is not disturbed by the refused one.
    ok = emulator.run(item.blob, item.case.inputs)
    assert ok.status == 0
    assert ok.outputs == b"".join(np.ascontiguousarray(y).tobytes() for y in Model(item.blob).run(item.case.inputs))


def test_qemu_batch_names_a_failing_case(collected: dict[Pair, list[CaseBlob]], tmp_path: Path) -> None:
    """A case the firmware refuses stops the QEMU batch with its index and status."""
    require_tools(BOARD)
    item = next(items[0] for items in collected.values() if items)
    bad = bytearray(item.blob)
    bad[-1] ^= 0x40
    with pytest.raises(CasesError, match=r"error case 1: -6 blob checksum"):
        run_cases_qemu(BOARD, [(item.blob, item.case.inputs), (bytes(bad), item.case.inputs)], tmp_path)


def test_sample_under_qemu(collected: dict[Pair, list[CaseBlob]], tmp_path: Path) -> None:
    """QEMU_SAMPLE cases spread over the pairs (optimized ones first), in one
    QEMU process: the same outputs as the host and TFLM."""
    require_tools(BOARD)
    order = sorted(PAIRS, key=lambda dp: dp[0] == "ref")
    sample: list[CaseBlob] = []
    for depth in range(max(len(v) for v in collected.values())):
        for _, pair in order:
            items = collected[pair]
            if len(sample) < QEMU_SAMPLE and depth < len(items) and all(s is not items[depth] for s in sample):
                sample.append(items[depth])
    assert len(sample) == QEMU_SAMPLE
    outputs = run_cases_qemu(BOARD, [(c.blob, c.case.inputs) for c in sample], tmp_path)
    for item, raw in zip(sample, outputs, strict=True):
        what = f"{item.name}: {item.case.desc}"
        expected = item.case.expected()
        host = Model(item.blob).run(item.case.inputs)
        _assert_equal(host, expected, f"host vs TFLM, {what}")
        _assert_equal(CaseResult(0, raw).split(host), expected, f"{BOARD} (QEMU) vs TFLM, {what}")


# Generators whose every case an optimized kernel's special path takes (the
# pair quota above samples all generators of an op together): conv_deep's
# windows of 8k bytes without activation reach trt_conv_s8_dsp's assembly.
PATH_GENERATORS = {"conv_deep": CASES_PER_VARIANT}


@pytest.mark.parametrize("generator", sorted(PATH_GENERATORS))
def test_generator_on_target_matches_host_and_tflm(generator: str, emulator: CaseEmulator) -> None:
    optimized = 0
    for seed in range(PATH_GENERATORS[generator]):
        case = make_case(generator, seed)
        blob = compile_tflite(case.tinyrt_model or case.model, kernels=DIRS).blob
        optimized += any(p in OPTIMIZED_PAIRS for p in kernels_of(blob))
        what = f"{generator} seed {seed}: {case.desc}"
        expected = case.expected()
        host = Model(blob).run(case.inputs)
        _assert_equal(host, expected, f"host vs TFLM, {what}")
        result = emulator.run(blob, case.inputs)
        assert result.status == 0, f"{BOARD}: {result.describe()}, {what}"
        _assert_equal(result.split(host), expected, f"{BOARD} (unicorn) vs TFLM, {what}")
    assert optimized == PATH_GENERATORS[generator], f"{generator}: {optimized} cases ran an optimized variant"
