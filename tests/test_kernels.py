"""Every kernel on generated single-op models (tests/cases.py): 500 random
cases per op plus targeted probes of TFLM's Prepare arithmetic (float32 vs
double, rounding); the C runtime's, the numpy reference's and TFLM's whole
output tensors (every output of a multi-output op) must be identical. Depthwise and 1x1 conv cases run through
both the out-of-place and (depth multiplier 1; stride 1 and Cout <= Cin) the
in-place kernels, C and numpy; LUT ops and element-wise ops of two inputs
(input 0 unbroadcast) through their out-of-place and in-place variants. For
LUT ops the cases feed every int8 value at least once."""

from __future__ import annotations

import numpy as np
import pytest

from cases import LUT_OPS, OPS, PROBES, Case, make_case
from tinyrt import quant, ref
from tinyrt.compiler import compile_tflite
from tinyrt.format import OpType, Variant
from tinyrt.native import Model
from tinyrt.oracle import run_tflm
from tinyrt.tflite_writer import ModelBuilder, QParams

CASES_PER_OP = 500
CASES_PER_PROBE = 50
# Element-wise ops of two inputs: in place when input 0 has the output's shape.
BINARY_INPLACE = {"add": OpType.ADD, "sub": OpType.SUB, "mul": OpType.MUL, "maximum": OpType.MAXIMUM,
                  "minimum": OpType.MINIMUM, "prelu": OpType.PRELU, "squared_difference": OpType.SQUARED_DIFFERENCE}
INPLACE_OPS = {"dwconv": (OpType.DEPTHWISE_CONV_2D, Variant.REF_INPLACE),
               "conv1x1": (OpType.CONV_2D, Variant.REF_INPLACE),
               **{op: (OpType.LUT, Variant.REF_INPLACE) for op in LUT_OPS},
               **{op: (t, Variant.REF_INPLACE) for op, t in BINARY_INPLACE.items()}}


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
        expected = run_tflm(case.model, case.inputs)
        references = case.references()
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
