"""Every kernel on generated single-op models (tests/cases.py): 500 random
cases per op plus targeted probes of TFLM's Prepare arithmetic (float32 vs
double, rounding); the C runtime's, the numpy reference's and TFLM's whole
output tensors (every output of a multi-output op) must be identical. Depthwise and 1x1 conv cases run through
both the out-of-place and (depth multiplier 1; stride 1 and Cout <= Cin) the
in-place kernels, C and numpy; LUT ops, element-wise ops of two inputs
(input 0 unbroadcast) and PAD, PADV2 (COPY written back to front over its
input) through their out-of-place and in-place variants. For LUT ops the
cases feed every int8 value at least once."""

from __future__ import annotations

import zlib

import numpy as np
import pytest

from cases import LUT_OPS, OPS, PROBES, Case, gen_space_to_batch_nd, make_case
from conftest import require_litert
from tinyrt import quant, ref
from tinyrt.compiler import compile_tflite
from tinyrt.convert import convert
from tinyrt.format import OpType, Variant
from tinyrt.native import Model
from tinyrt.oracle import run_litert, run_tflm
from tinyrt.plan import plan
from tinyrt.ref.graph import run_graph
from tinyrt.tflite import read_tflite
from tinyrt.tflite_writer import ModelBuilder, QParams

CASES_PER_OP = 500
CASES_PER_PROBE = 50
# Element-wise ops of two inputs: in place when input 0 has the output's shape.
BINARY_INPLACE = {"add": OpType.ADD, "sub": OpType.SUB, "mul": OpType.MUL, "maximum": OpType.MAXIMUM,
                  "minimum": OpType.MINIMUM, "prelu": OpType.PRELU, "squared_difference": OpType.SQUARED_DIFFERENCE}
INPLACE_OPS = {"dwconv": (OpType.DEPTHWISE_CONV_2D, Variant.REF_INPLACE),
               "conv1x1": (OpType.CONV_2D, Variant.REF_INPLACE),
               **{op: (OpType.LUT, Variant.REF_INPLACE) for op in LUT_OPS},
               **{op: (t, Variant.REF_INPLACE) for op, t in BINARY_INPLACE.items()},
               "pad": (OpType.COPY, Variant.REF_INPLACE), "padv2": (OpType.COPY, Variant.REF_INPLACE)}


def _inplace_reference(case: Case) -> np.ndarray | None:
    """The numpy in-place kernel's output, where the converter may choose it."""
    p = case.params
    if case.kernel == "dwconv_s8" and p["depth_multiplier"] == 1:
        return ref.dwconv_s8_inplace(*case.inputs, *case.args, **p)
    if (
        case.op == "conv1x1"
        and (p["stride_h"], p["stride_w"], p["dilation_h"], p["dilation_w"]) == (1, 1, 1, 1)
        and case.args[0].shape[0] <= case.inputs[0].shape[3]
    ):
        return ref.conv1x1_s8_inplace(*case.inputs, *case.args, **p)
    # numpy does not alias: the in-place result is the reference itself,
    # where the converter takes the in-place variant (the C run checks it).
    if case.op in LUT_OPS:
        return case.reference()
    if case.op in BINARY_INPLACE:
        out = case.reference()
        return out if case.operands()[0].shape == out.shape else None
    if case.op in ("pad", "padv2"):
        # A lone PAD always runs in place (the arena shrinks by its input);
        # the numpy in-place COPY works on one buffer, as the C kernel does.
        graph = compile_tflite(case.model, inplace=False).graph
        (copy,) = [op for op in graph.ops if op.type == OpType.COPY]
        table = graph.tensors[copy.inputs[1]].data
        assert table is not None
        out = case.reference()
        return ref.copy_s8_inplace(case.inputs[0], table, out.shape, **copy.params)
    return None


def _run_c(case: Case, inplace: bool) -> tuple[list[np.ndarray], list[tuple[OpType, Variant]]]:
    compiled = compile_tflite(case.tinyrt_model or case.model, inplace=inplace)
    out = Model(compiled.blob).run(case.inputs)
    return out, [(op.type, op.variant) for op in compiled.graph.ops]


@pytest.mark.parametrize("op", sorted(OPS) + sorted(PROBES))
def test_c_runtime_matches_tflm_and_numpy(op: str) -> None:
    inplace_runs = 0
    for seed in range(CASES_PER_OP if op in OPS else CASES_PER_PROBE):
        case = make_case(op, seed)
        references = case.references()
        expected = case.expected()
        assert len(references) == len(expected)
        for reference, want in zip(references, expected, strict=True):
            np.testing.assert_array_equal(reference, want, err_msg=f"numpy vs TFLM, {op} seed {seed}: {case.desc}")
        in_place = _inplace_reference(case)
        if in_place is not None:
            np.testing.assert_array_equal(in_place, expected[0],
                                          err_msg=f"numpy in place vs TFLM, {op} seed {seed}: {case.desc}")
        for inplace in (False, True) if op in INPLACE_OPS else (True,):
            ours, kernels = _run_c(case, inplace)
            if inplace and op in INPLACE_OPS:
                assert (INPLACE_OPS[op] in kernels) == (in_place is not None), case.desc
                inplace_runs += INPLACE_OPS[op] in kernels
            assert len(ours) == len(expected)
            for got, want in zip(ours, expected, strict=True):
                assert got.dtype == want.dtype and got.shape == tuple(want.shape)
                np.testing.assert_array_equal(
                    got, want, err_msg=f"C ({'in place' if inplace else 'ref'}) vs TFLM, {op} seed {seed}: {case.desc}"
                )
    if op in INPLACE_OPS:
        # Cases the in-place kernel takes are common, so it is exercised
        # heavily, not just once.
        assert inplace_runs >= CASES_PER_OP // 4
    if op in LUT_OPS:
        # Every entry of the table is checked against TFLM at least once.
        seen = np.zeros(256, bool)
        for seed in range(CASES_PER_OP):
            seen[make_case(op, seed).inputs[0].view(np.uint8).reshape(-1)] = True
        assert seen.all(), f"{op}: input values never drawn: {np.nonzero(~seen)[0].view(np.int8)}"


def test_sub_is_not_add_with_a_negated_multiplier() -> None:
    """Why SUB is its own op: TFLM subtracts the rounded scaled input 2, and
    rounding -x*m rounds exact halves the other way from -(x*m); ADD with
    input 2's multiplier negated offline gives -3 here where TFLM gives -4."""
    s1, s2, zp2, s_out = 0.01496244315057993, 0.0066395835019648075, 99, 2.882398142389775e-08
    mb = ModelBuilder()
    a = mb.tensor([1, 1], "int8", q=QParams(s1, 0), name="a")
    b = mb.tensor([1, 1], "int8", q=QParams(s2, zp2), name="b")
    y = mb.tensor([1, 1], "int8", q=QParams(s_out, 0), name="y")
    mb.op("SUB", [a, b], [y])
    model = mb.build([a, b], [y])
    x1, x2 = np.array([[-71]], np.int8), np.array([[-61]], np.int8)
    params = quant.add_params(s1, 0, s2, zp2, s_out, 0)
    negated = dict(params, input2_multiplier=-params["input2_multiplier"])
    assert run_tflm(model, [x1, x2])[0].item() == -4
    assert Model(compile_tflite(model).blob).run([x1, x2])[0].item() == -4
    assert ref.sub_s8(x1, x2, **params).item() == -4
    assert ref.add_s8(x1, x2, **negated).item() == -3


def test_transpose_conv_with_a_large_output() -> None:
    """A 4x upsampling to 64x64x48: TFLM's int32 scratch (4 bytes per output
    element, 786,432 here) dwarfs the activations, which the oracle's arena
    must allow for; the C runtime sizes the same scratch offline."""
    rng = np.random.default_rng(11)
    mb = ModelBuilder()
    shape = mb.tensor([4], "int32", data=np.array([1, 64, 64, 48], np.int32), name="output_shape")
    scales = list(rng.uniform(0.002, 0.01, 48))
    filt = rng.integers(-127, 128, size=(48, 4, 4, 48), dtype=np.int8)
    w = mb.tensor(filt.shape, "int8", q=QParams(scales, [0] * 48, 0), data=filt, name="filter")
    x = mb.tensor([1, 16, 16, 48], "int8", q=QParams(0.05, -7), name="input")
    y = mb.tensor([1, 64, 64, 48], "int8", q=QParams(0.1, 3), name="output")
    mb.op("TRANSPOSE_CONV", [shape, w, x], [y], padding="SAME", stride_h=4, stride_w=4, activation="RELU")
    model = mb.build([x], [y])
    inputs = [rng.integers(-128, 128, size=(1, 16, 16, 48), dtype=np.int8)]
    compiled = compile_tflite(model)
    assert compiled.graph.ops[0].scratch_bytes == 64 * 64 * 48 * 4
    want = run_tflm(model, inputs)[0]
    assert len(np.unique(want)) > 50  # not saturated
    np.testing.assert_array_equal(Model(compiled.blob).run(inputs)[0], want)
    np.testing.assert_array_equal(run_graph(compiled.graph, inputs)[0], want)


def test_space_to_batch_nd_padding() -> None:
    """TFLM's SpaceToBatchND pads with SpaceToBatchParams.output_offset, which
    its Prepare never sets (the padding is whatever the persistent buffer
    held); TFLite pads quantized tensors with the output zero point, as
    tinyrt does. So with padding: C == numpy everywhere, == LiteRT
    everywhere where LiteRT takes the case (one quantization for input and
    output), == TFLM on every element that is not padding."""
    require_litert()
    padded_cases = litert_cases = 0
    for seed in range(300):
        case = gen_space_to_batch_nd(np.random.default_rng([zlib.crc32(b"space_to_batch_nd padded"), seed]), True)
        want = case.reference()
        got = Model(compile_tflite(case.model).blob).run(case.inputs)[0]
        np.testing.assert_array_equal(got, want, err_msg=f"C vs numpy, seed {seed}: {case.desc}")
        b, pads = case.args
        real = ref.space_to_batch_nd_s8(np.ones_like(case.inputs[0]), b, pads, pad_value=0) != 0
        padded_cases += not real.all()
        tflm = run_tflm(case.model, case.inputs)[0]
        np.testing.assert_array_equal(got[real], tflm[real], err_msg=f"C vs TFLM, seed {seed}: {case.desc}")
        # LiteRT takes the op only with one quantization for input and output.
        x, y = (t for t in read_tflite(case.model).tensors if t.name in ("input", "output"))
        if np.array_equal(x.scales, y.scales) and np.array_equal(x.zero_points, y.zero_points):
            litert_cases += not real.all()
            np.testing.assert_array_equal(got, run_litert(case.model, case.inputs)[0],
                                          err_msg=f"C vs LiteRT, seed {seed}: {case.desc}")
    assert padded_cases >= 100 and litert_cases >= 30, (padded_cases, litert_cases)


def _pad_conv_model(rng: np.random.Generator) -> tuple[bytes, np.ndarray, bool, str]:
    """PAD -> CONV_2D or DEPTHWISE_CONV_2D (VALID, or SAME); (model, input,
    whether the PAD may fold into the convolution, description). Not
    foldable: padding of batch or channels, a second reader of the padded
    tensor, a PADV2 of another value, a PAD quantized unlike its input."""
    h, w, c = _ints3(rng)
    pads = [[0, 0], [int(v) for v in rng.integers(0, 3, 2)], [int(v) for v in rng.integers(0, 3, 2)], [0, 0]]
    spoil = str(rng.choice(["none", "none", "none", "channels", "second reader", "same", "padv2", "quant"]))
    if spoil == "channels":
        pads[3] = [0, 1]
    k, s, d = [int(v) for v in rng.integers(1, 4, 2)], int(rng.integers(1, 3)), int(rng.integers(1, 3))
    ph, pw, pc = h + sum(pads[1]), w + sum(pads[2]), c + sum(pads[3])
    if ph < (k[0] - 1) * d + 1 or pw < (k[1] - 1) * d + 1:
        k, d = [1, 1], 1
    padding = "SAME" if spoil == "same" else "VALID"
    oh, ow = ((ph + s - 1) // s, (pw + s - 1) // s) if padding == "SAME" else \
        ((ph - (k[0] - 1) * d - 1) // s + 1, (pw - (k[1] - 1) * d - 1) // s + 1)
    depthwise = bool(rng.uniform() < 0.5)
    zp = int(rng.integers(-128, 128))
    q = QParams(0.05, zp)
    mb = ModelBuilder()
    x = mb.tensor([1, h, w, c], "int8", q=q, name="x")
    other_zp = zp + 1 if zp < 127 else zp - 1
    y = mb.tensor([1, ph, pw, pc], "int8", q=q if spoil != "quant" else QParams(0.05, other_zp), name="padded")
    paddings = mb.tensor([4, 2], "int32", data=np.array(pads, np.int32), name="paddings")
    if spoil == "padv2":
        value = mb.tensor([], "int8", q=q, data=np.array(zp ^ 1, np.int8), name="value")
        mb.op("PADV2", [x, paddings, value], [y])
    else:
        mb.op("PAD", [x, paddings], [y])
    cout = pc if depthwise else 3
    wshape = [1, *k, cout] if depthwise else [cout, *k, pc]
    wt = mb.tensor(wshape, "int8", q=QParams([0.01] * cout, [0] * cout, 3 if depthwise else 0),
                   data=rng.integers(-127, 128, wshape, dtype=np.int8), name="w")
    b = mb.tensor([cout], "int32", q=QParams([0.0005] * cout, [0] * cout),
                  data=rng.integers(-500, 500, cout).astype(np.int32), name="b")
    o = mb.tensor([1, oh, ow, cout], "int8", q=QParams(0.1, 3), name="o")
    opts: dict[str, object] = dict(padding=padding, stride_h=s, stride_w=s, dilation_h=d, dilation_w=d)
    if depthwise:
        opts["depth_multiplier"] = 1
    mb.op("DEPTHWISE_CONV_2D" if depthwise else "CONV_2D", [y, wt, b], [o], **opts)
    outs = [o]
    if spoil == "second reader":
        m = mb.tensor([1, ph, pw, pc], "int8", q=q, name="max")
        mb.op("MAXIMUM", [y, y], [m])
        outs.append(m)
    desc = f"[1, {h}, {w}, {c}] pads {pads} k {k} s {s} d {d} {padding} dw {depthwise} ({spoil})"
    return mb.build([x], outs), rng.integers(-128, 128, (1, h, w, c), dtype=np.int8), spoil in ("none", "same"), desc


def _ints3(rng: np.random.Generator) -> tuple[int, int, int]:
    h, w, c = (int(v) for v in rng.integers(1, 7, 3))
    return h, w, c


def test_pad_folded_into_convolution() -> None:
    """A PAD of H and W by the zero point in front of a convolution is part
    of the convolution's own padding (TFLM skips taps outside the input:
    their (zp - zp) * w is 0): no COPY op, bit-exact with TFLM's PAD + conv;
    any other PAD stays a COPY."""
    folded = 0
    for seed in range(300):
        model, x, foldable, desc = _pad_conv_model(np.random.default_rng([zlib.crc32(b"pad conv"), seed]))
        compiled = compile_tflite(model)
        has_copy = OpType.COPY in [op.type for op in compiled.graph.ops]
        assert has_copy != foldable, desc
        folded += foldable
        ours = Model(compiled.blob).run([x])
        for got, want, ref_out in zip(ours, run_tflm(model, [x]), run_graph(compiled.graph, [x]), strict=True):
            np.testing.assert_array_equal(got, want, err_msg=f"C vs TFLM, seed {seed}: {desc}")
            np.testing.assert_array_equal(ref_out, want, err_msg=f"numpy vs TFLM, seed {seed}: {desc}")
    assert folded >= 100


def _pad_then_pool() -> bytes:
    """PAD at the arena's peak: [1, 16, 16, 8] (2,048 bytes) padded to
    [1, 18, 18, 8] (2,592), then a 2x2 max pool to [1, 9, 9, 8] (648)."""
    mb = ModelBuilder()
    x = mb.tensor([1, 16, 16, 8], "int8", q=QParams(0.1, -3), name="x")
    p = mb.tensor([1, 18, 18, 8], "int8", q=QParams(0.1, -3), name="padded")
    paddings = mb.tensor([4, 2], "int32", data=np.array([[0, 0], [1, 1], [1, 1], [0, 0]], np.int32), name="paddings")
    mb.op("PAD", [x, paddings], [p])
    y = mb.tensor([1, 9, 9, 8], "int8", q=QParams(0.1, -3), name="y")
    mb.op("MAX_POOL_2D", [p], [y], padding="VALID", stride_h=2, stride_w=2, filter_h=2, filter_w=2)
    return mb.build([x], [y])


def _pad_after_the_peak() -> bytes:
    """PAD of a small graph input after the peak: in place, its buffer would
    hold the padded size (400 bytes, not 16) across the TRANSPOSE of the
    other input, where the arena peaks."""
    mb = ModelBuilder()
    a = mb.tensor([1, 2, 2, 4], "int8", q=QParams(0.1, 0), name="a")
    b = mb.tensor([1, 8, 8, 8], "int8", q=QParams(0.1, 0), name="b")
    t = mb.tensor([1, 8, 8, 8], "int8", q=QParams(0.1, 0), name="transposed")
    mb.op("TRANSPOSE", [b, mb.tensor([4], "int32", data=np.array([0, 2, 1, 3], np.int32), name="perm")], [t])
    p = mb.tensor([1, 10, 10, 4], "int8", q=QParams(0.1, 0), name="padded")
    paddings = mb.tensor([4, 2], "int32", data=np.array([[0, 0], [4, 4], [4, 4], [0, 0]], np.int32), name="paddings")
    mb.op("PAD", [a, paddings], [p])
    return mb.build([a, b], [t, p])


def test_pad_runs_in_place_only_where_it_lowers_the_arena() -> None:
    """The planner takes the in-place PAD (input at the start of the
    output's buffer) where the PAD is at the peak: 2,592 + 648 bytes instead
    of 2,048 + 2,592; it leaves it out of place where the larger buffer
    would live across an earlier peak. Both bit-exact with TFLM."""
    rng = np.random.default_rng(3)
    for model, inplace, arena, out_of_place in ((_pad_then_pool(), True, 3240, 4640),
                                                (_pad_after_the_peak(), False, 1040, 1040)):
        compiled = compile_tflite(model)
        pads = [op for op in compiled.graph.ops if op.type == OpType.COPY and op.params["fill"]]
        assert [op.variant for op in pads] == [Variant.REF_INPLACE if inplace else Variant.REF]
        assert (compiled.arena_bytes, compile_tflite(model, inplace=False).arena_bytes) == (arena, out_of_place)
        host = Model(compiled.blob)
        for _ in range(5):
            xs = [rng.integers(-128, 128, info.shape, dtype=np.int8) for info in host.inputs]
            for got, want, numpy_out in zip(host.run(xs), run_tflm(model, xs), run_graph(compiled.graph, xs),
                                            strict=True):
                np.testing.assert_array_equal(got, want)
                np.testing.assert_array_equal(numpy_out, want)
    # Forced in place, the second model's arena grows: what the planner avoided.
    graph = convert(_pad_after_the_peak())
    next(op for op in graph.ops if op.params.get("fill")).variant = Variant.REF_INPLACE
    assert plan(graph).arena_bytes > 1040


MOVE_OPS = ["pad", "padv2", "mirror_pad", "strided_slice", "slice", "transpose", "pack", "unpack", "split_v",
            "gather", "tile", "depth_to_space", "space_to_depth", "batch_to_space_nd", "space_to_batch_nd"]


@pytest.mark.parametrize("op", MOVE_OPS)
def test_copy_pieces_in_numpy_match_the_op(op: str) -> None:
    """The numpy graph reference runs COPY's pieces (ref.copy_s8) as the C
    runtime does; on the generated cases they give each op's own numpy
    definition (np.pad, slicing, np.take, ...), which TFLM matches above."""
    for seed in range(100):
        case = make_case(op, seed)
        graph = compile_tflite(case.model).graph
        # Rank 5-6 cases reach the op through RESHAPEs.
        assert [o.type for o in graph.ops if o.type != OpType.RESHAPE] == [OpType.COPY], case.desc
        for got, want in zip(run_graph(graph, case.inputs), case.references(), strict=True):
            np.testing.assert_array_equal(got, want.reshape(got.shape), err_msg=f"{op} seed {seed}: {case.desc}")


def test_chain_of_data_movement_ops_matches_tflm() -> None:
    from models import movement_model

    model = movement_model()
    compiled = compile_tflite(model)
    assert {op.type for op in compiled.graph.ops} == {OpType.COPY} and len(compiled.graph.ops) == 6
    rng = np.random.default_rng(5)
    for _ in range(20):
        x = rng.integers(-128, 128, (1, 4, 6, 2), dtype=np.int8)
        np.testing.assert_array_equal(Model(compiled.blob).run([x])[0], run_tflm(model, [x])[0])


@pytest.mark.parametrize("name", ["ADD", "SUB", "MUL", "MAXIMUM", "MINIMUM", "SQUARED_DIFFERENCE"])
def test_element_wise_in_place_of_a_tensor_with_itself(name: str) -> None:
    """Input 1 may be input 0 itself in place: each element is read (twice)
    before it is written."""
    same = name in ("MAXIMUM", "MINIMUM")
    mb = ModelBuilder()
    a = mb.tensor([3, 5], "int8", q=QParams(0.05, -7), name="a")
    y = mb.tensor([3, 5], "int8", q=QParams(0.05, -7) if same else QParams(0.3, 11), name="y")
    mb.op(name, [a, a], [y])
    model = mb.build([a], [y])
    x = np.arange(-128, 127, 17, dtype=np.int8)[:15].reshape(3, 5)
    compiled = compile_tflite(model)
    assert [(op.type.name, op.variant) for op in compiled.graph.ops] == [(name, Variant.REF_INPLACE)]
    np.testing.assert_array_equal(Model(compiled.blob).run([x])[0], run_tflm(model, [x])[0])


def test_elu_table_uses_the_c_librarys_expf() -> None:
    """TFLM fills its ELU table with std::exp(float), glibc's expf, which is
    not always correctly rounded: at x = -0.066919021 it is one ulp off exp
    in double, and with this output scale that ulp moves the table entry of
    q = -1 from -2 to -1. tinyrt's table calls the same expf."""
    import math

    from tinyrt.ref.activations import _expf

    s_in, s_out = 0.06691902130842209, 0.04315270856022835
    mb = ModelBuilder()
    x = mb.tensor([1, 256], "int8", q=QParams(s_in, 0), name="x")
    y = mb.tensor([1, 256], "int8", q=QParams(s_out, 0), name="y")
    mb.op("ELU", [x], [y])
    model = mb.build([x], [y])
    values = np.arange(-128, 128, dtype=np.int8).reshape(1, 256)
    want = run_tflm(model, [values])[0]
    np.testing.assert_array_equal(Model(compile_tflite(model).blob).run([values])[0], want)
    np.testing.assert_array_equal(ref.elu_s8(values, **quant.elu_params(s_in, 0, s_out, 0)), want)
    if _expf()(-s_in) != float(np.float32(math.exp(-np.float32(s_in)))):  # glibc
        assert want[0, 127] == -1  # q = -1; the correctly rounded exp gives -2


def _lut_chain(intermediate_out: bool, second_reader: bool) -> bytes:
    """x -> LOGISTIC -> TANH -> ABS, the TANH output optionally also a graph
    output or read by a second op."""
    mb = ModelBuilder()
    x = mb.tensor([2, 128], "int8", q=QParams(0.07, -9), name="x")
    lg = mb.tensor([2, 128], "int8", q=QParams(1 / 256, -128), name="logistic")
    mb.op("LOGISTIC", [x], [lg])
    th = mb.tensor([2, 128], "int8", q=QParams(1 / 128, 0), name="tanh")
    mb.op("TANH", [lg], [th])
    ab = mb.tensor([2, 128], "int8", q=QParams(0.004, -100), name="abs")
    mb.op("ABS", [th], [ab])
    outputs = [ab, th] if intermediate_out else [ab]
    if second_reader:
        sq = mb.tensor([2, 128], "int8", q=QParams(0.01, 7), name="relu")
        mb.op("RELU", [th], [sq])
        outputs.append(sq)
    return mb.build([x], outputs)


@pytest.mark.parametrize("intermediate_out, second_reader, luts", [(False, False, 1), (True, False, 2),
                                                                   (False, True, 3)])
def test_lut_chains_fuse_into_one_table(intermediate_out: bool, second_reader: bool, luts: int) -> None:
    """Consecutive LUTs are one table composed offline, unless an inner
    result is a graph output or read by another op (then it is computed)."""
    model = _lut_chain(intermediate_out, second_reader)
    compiled = compile_tflite(model)
    assert [op.type for op in compiled.graph.ops] == [OpType.LUT] * luts
    values = np.arange(-128, 128, dtype=np.int8).reshape(2, 128)
    for x in (values, np.random.default_rng(luts).integers(-128, 128, (2, 128), dtype=np.int8)):
        for got, want in zip(Model(compiled.blob).run([x]), run_tflm(model, [x]), strict=True):
            np.testing.assert_array_equal(got, want)
