"""The ARMv7E-M DSP kernels (kernels/arm_dsp), run on the host through the C
model of their instructions: generated single-op models (tests/cases.py,
DSP_OPS) converted with kernels ("ref", "arm_dsp") must take the expected
DSP variant, and the C runtime's, the numpy reference of the variant's
arithmetic (its offline layout and folded bias, run on the lowered graph)
and TFLM's outputs must be identical. At least 500 cases per variant.

`cases.dsp_cases(op, variant)` is the case selection, for any runner of the
same kernels (the Cortex-M4 emulation runs them natively)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from cases import DSP_VARIANTS, Case, dsp_cases, make_case
from conftest import MODEL_NAMES, host_tool, model_path
from tinyrt import variants
from tinyrt.blob import write_blob
from tinyrt.check import check_model, random_inputs
from tinyrt.compiler import compile_tflite
from tinyrt.convert import Graph, convert
from tinyrt.format import OpType, Status, Variant
from tinyrt.native import Model, TinyrtError
from tinyrt.oracle import run_tflm
from tinyrt.plan import plan
from tinyrt.ref.graph import run_graph

KERNELS = ("ref", "arm_dsp")
DW, FC = OpType.DEPTHWISE_CONV_2D, OpType.FULLY_CONNECTED


@pytest.fixture(autouse=True)
def _every_size() -> Iterator[None]:
    """The kernels at every size they take (variants.MIN_SIZE lifted)."""
    with variants.all_sizes():
        yield


def _features(op: OpType, case: Case) -> set[str]:
    """The code paths a case reaches, for the coverage assertions."""
    p = case.params
    x = case.inputs[0]
    w, _, mult, _ = case.args
    out: set[str] = set()
    depth = x.shape[-1]
    if op == DW:
        out.add(f"tail{depth % 4}")
        if p["pad_top"] or p["pad_left"] or p["out_h"] * p["stride_h"] > x.shape[1] or \
                p["out_w"] * p["stride_w"] > x.shape[2]:
            out.add("padding")
        out.add(f"stride{max(p['stride_h'], p['stride_w'])}")
        out.add(f"dm{p['depth_multiplier']}")
        if max(p["dilation_h"], p["dilation_w"]) > 1:
            out.add("dilation")
        span = (w.shape[2] - 1) * p["dilation_w"]
        inside = [ox for ox in range(p["out_w"]) if 0 <= ox * p["stride_w"] - p["pad_left"] <= x.shape[2] - 1 - span]
        if len(inside) >= 8:
            out.add("long_rows")
    else:
        out.add(f"tail{depth % 4}")
        out.add(f"rows{w.shape[0] % 4}")
        if x.size // depth > 1:
            out.add("batches")
    if mult.size > 1:
        out.add("per_channel")
    if -p["input_offset"] in (-128, 127):
        out.add("extreme_zero_point")
    return out


@pytest.mark.parametrize("op,variant", list(DSP_VARIANTS), ids=[f"{o.name}-{v.name}" for o, v in DSP_VARIANTS])
def test_dsp_kernel_matches_tflm_and_numpy(op: OpType, variant: Variant) -> None:
    seen: dict[str, int] = {}
    for case in dsp_cases(op, variant):
        expected = run_tflm(case.model, case.inputs)
        assert len(expected) == 1
        np.testing.assert_array_equal(case.reference(), expected[0], err_msg=f"numpy vs TFLM: {case.desc}")
        compiled = compile_tflite(case.model, inplace=variant.inplace, kernels=KERNELS)
        assert [(o.type, o.variant) for o in compiled.graph.ops] == [(op, variant)], case.desc
        got = Model(compiled.blob).run(case.inputs)
        numpy_variant = run_graph(compiled.graph, case.inputs)
        for name, out in (("C", got), ("numpy (variant layout)", numpy_variant)):
            assert len(out) == 1 and out[0].dtype == expected[0].dtype and out[0].shape == expected[0].shape
            np.testing.assert_array_equal(out[0], expected[0], err_msg=f"{name} {variant.name} vs TFLM: {case.desc}")
        for f in _features(op, case):
            seen[f] = seen.get(f, 0) + 1
    # Every path is reached many times, not once.
    wanted = ["tail0", "tail1", "tail2", "tail3", "per_channel", "extreme_zero_point"]
    if op == DW:
        wanted += ["padding", "stride1", "stride2", "stride3", "dilation", "long_rows"]
        wanted += [] if variant.inplace else ["dm1", "dm2", "dm3"]
    else:
        wanted += ["rows0", "rows1", "rows2", "rows3", "batches"]
    for f in wanted:
        assert seen.get(f, 0) >= 20, f"{f}: {seen.get(f, 0)} cases ({seen})"


def test_dsp_kernels_leave_narrow_inputs_to_the_reference() -> None:
    """Under four input channels the depthwise DSP kernels decline (their
    last group reads a pixel's last four channels): the reference runs."""
    for seed in range(200):
        case = make_case("dwconv", seed)
        if case.inputs[0].shape[-1] >= 4:
            continue
        for inplace in (False, True):
            compiled = compile_tflite(case.model, inplace=inplace, kernels=KERNELS)
            assert compiled.graph.ops[0].variant in (Variant.REF, Variant.REF_INPLACE)


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_models_with_dsp_kernels_match_tflm(name: str) -> None:
    """The MLPerf Tiny models compiled for a DSP board: every depthwise and
    fully connected layer takes a DSP variant (their depthwise layers all
    have four or more channels), and the outputs equal TFLM's and the numpy
    graph reference's."""
    tflite = model_path(name).read_bytes()
    compiled = compile_tflite(tflite, kernels=KERNELS)
    for op in compiled.graph.ops:
        if op.type in (DW, FC):
            assert op.variant in (Variant.DSP, Variant.DSP_INPLACE, Variant.DSP_3X3, Variant.DSP_3X3_INPLACE), op
    result = check_model(tflite, samples=5, seed=3, kernels=KERNELS)
    assert result.mismatches == [] and result.exact == 5
    model = Model(compiled.blob)
    x = random_inputs(model.inputs, np.random.default_rng(5))
    for ours, ref in zip(model.run(x), run_graph(compiled.graph, x), strict=True):
        np.testing.assert_array_equal(ours, ref)


@pytest.mark.parametrize("op,variant", list(DSP_VARIANTS), ids=[f"{o.name}-{v.name}" for o, v in DSP_VARIANTS])
def test_dsp_blobs_mutated_under_sanitizers(tmp_path: Path, op: OpType, variant: Variant) -> None:
    """Blobs of each DSP variant (channel tails, padding, depth multipliers),
    randomly mutated with the CRC fixed, under ASan + UBSan (fuzz_blob): each
    is refused by the loader or runs inside its buffers."""
    tool = host_tool("fuzz_blob", "asan")
    accepted = 0
    for seed, case in enumerate(dsp_cases(op, variant, count=12)):
        compiled = compile_tflite(case.model, inplace=variant.inplace, kernels=KERNELS)
        path = tmp_path / "case.trt"
        path.write_bytes(compiled.blob)
        proc = subprocess.run([str(tool), str(path), "mutate", "100", str(seed + 1)], capture_output=True, text=True,
                              timeout=600)
        assert proc.returncode == 0, f"{case.desc}: {proc.stderr[-4000:]}"
        accepted += int(proc.stdout.split()[2])
    assert accepted > 0


def _load(graph: Graph) -> Model:
    return Model(write_blob(graph, plan(graph)))


def _refused(graph: Graph) -> None:
    with pytest.raises(TinyrtError) as err:
        _load(graph)
    assert err.value.status == Status.ERR_OP_PARAMS


def test_loader_refuses_what_the_dsp_variants_do_not_take() -> None:
    """The loader checks each DSP variant's conditions with the kernels' own
    predicates: a blob naming a DSP variant for an op it cannot run is
    refused, the same op as the reference loads."""
    # Depthwise 3x3 variant on a 5x5 filter; generic variant on 3 channels.
    five = next(c for c in dsp_cases(DW, Variant.DSP) if case_filter(c) == (5, 5))
    g = convert(five.model, inplace=False, kernels=KERNELS)
    assert g.ops[0].variant == Variant.DSP
    g.ops[0].variant = Variant.DSP_3X3
    _refused(g)
    narrow = next(make_case("dwconv", s) for s in range(100) if make_case("dwconv", s).inputs[0].shape[-1] < 4)
    g = convert(narrow.model, inplace=False, kernels=KERNELS)
    assert g.ops[0].variant == Variant.REF
    _load(g)
    g.ops[0].variant = Variant.DSP
    _refused(g)
    # In place without the in-place layout of the buffers.
    g = convert(five.model, inplace=False, kernels=KERNELS)
    g.ops[0].variant = Variant.DSP_INPLACE
    _refused(g)
    # No bias (the fold needs one).
    g = convert(five.model, inplace=False, kernels=KERNELS)
    g.ops[0].inputs[2] = -1
    _refused(g)
    # FULLY_CONNECTED: an input offset left unfolded, no bias (the
    # reference takes both).
    fc = next(dsp_cases(FC, Variant.DSP))
    for breaks in ("offset", "bias"):
        g = convert(fc.model, kernels=KERNELS)
        assert g.ops[0].variant == Variant.DSP
        if breaks == "offset":
            g.ops[0].params["input_offset"] = 3
        else:
            g.ops[0].inputs[2] = -1
        _refused(g)
        g.ops[0].variant = Variant.REF
        _load(g)


def case_filter(case: Case) -> tuple[int, int]:
    w = case.args[0]
    return int(w.shape[1]), int(w.shape[2])
