"""The int8 functions TFLM has no kernel for: EXP, NEG, RELU_N1_TO_1.

LiteRT is the oracle here, because TFLM cannot be one: its EXP is float32
only, its NEG fails an int8 invocation and it registers no RELU_N1_TO_1
(test_tflm_has_no_int8_kernel_for_them). The LiteRT interpreter
(ai-edge-litert, its reference kernels) runs all three in int8; tinyrt
lowers each to the LUT op with a table computed by LiteRT's arithmetic
(tinyrt/ref/activations.py, quant.py), and every generated case must give
the same bytes in the C runtime (out of place and in place), the numpy
reference and LiteRT."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cases import LITERT_OPS, Case, make_case
from conftest import require_litert, require_tools
from tinyrt import quant, ref
from tinyrt.compiler import compile_tflite
from tinyrt.format import OpType, Variant
from tinyrt.native import Model
from tinyrt.oracle import run_litert, run_tflm
from tinyrt.tflite_writer import ModelBuilder, QParams

CASES_PER_OP = 500
QEMU_SAMPLE_PER_OP = 8
BOARD = "mps2-an386"
VALUES = np.arange(-128, 128, dtype=np.int8).reshape(1, 256)


@pytest.fixture(autouse=True)
def litert() -> None:
    require_litert()


def _unary(name: str, s_in: float, zp_in: int, s_out: float, zp_out: int) -> bytes:
    mb = ModelBuilder()
    x = mb.tensor([1, 256], "int8", q=QParams(s_in, zp_in), name="x")
    y = mb.tensor([1, 256], "int8", q=QParams(s_out, zp_out), name="y")
    mb.op(name, [x], [y])
    return mb.build([x], [y])


@pytest.mark.parametrize("name", ["EXP", "NEG", "RELU_N1_TO_1"])
def test_tflm_has_no_int8_kernel_for_them(name: str) -> None:
    """Why LiteRT: TFLM refuses each of these in int8 (at Prepare, at
    Invoke, or with no registration at all). Should that change, TFLM
    becomes their oracle like every other op's."""
    with pytest.raises(RuntimeError):
        run_tflm(_unary(name, 0.1, 0, 0.1, 0), [VALUES])


def _run_c(case: Case, inplace: bool) -> tuple[np.ndarray, list[tuple[OpType, Variant]]]:
    compiled = compile_tflite(case.model, inplace=inplace)
    return Model(compiled.blob).run(case.inputs)[0], [(op.type, op.variant) for op in compiled.graph.ops]


@pytest.mark.parametrize("op", sorted(LITERT_OPS))
def test_c_runtime_matches_litert_and_numpy(op: str) -> None:
    seen = np.zeros(256, bool)
    for seed in range(CASES_PER_OP):
        case = make_case(op, seed)
        assert case.oracle == "litert"
        (want,) = case.expected()
        np.testing.assert_array_equal(case.reference(), want, err_msg=f"numpy vs LiteRT, {op} seed {seed}: {case.desc}")
        for inplace in (False, True):
            got, kernels = _run_c(case, inplace)
            assert kernels == [(OpType.LUT, Variant.REF_INPLACE if inplace else Variant.REF)], case.desc
            assert got.dtype == want.dtype and got.shape == want.shape
            np.testing.assert_array_equal(
                got, want, err_msg=f"C ({'in place' if inplace else 'ref'}) vs LiteRT, {op} seed {seed}: {case.desc}")
        seen[case.inputs[0].view(np.uint8).reshape(-1)] = True
    # Every entry of the table is checked against LiteRT.
    assert seen.all(), f"{op}: input values never drawn: {np.nonzero(~seen)[0].view(np.int8)}"


def test_relu_n1_to_1_rescales_by_a_float32_quotient() -> None:
    """LiteRT's ReluPrepare divides the float scales in float32 before
    QuantizeMultiplier (TFLM's RELU divides in double). These scales, found
    by a search over 20,000 pairs, are one where that decides an output:
    q = 66 gives 108 with the float32 quotient, 109 with the double one."""
    s_in, s_out = 0.008002513088285923, 0.004867888055741787
    model = _unary("RELU_N1_TO_1", s_in, 0, s_out, 0)
    params = quant.relu_n1_to_1_params(s_in, 0, s_out, 0)
    multiplier, shift = quant.quantize_multiplier(quant.f32(s_in) / quant.f32(s_out))
    in_double = ref.relu_s8(VALUES, **dict(params, multiplier=multiplier, shift=shift))
    want = run_litert(model, [VALUES])[0]
    assert want[0, 128 + 66] == 108 and in_double[0, 128 + 66] == 109
    np.testing.assert_array_equal(ref.relu_s8(VALUES, **params), want)
    np.testing.assert_array_equal(Model(compile_tflite(model).blob).run([VALUES])[0], want)


def test_exp_saturates_where_its_table_leaves_int32() -> None:
    """exp(q) / 0.01 passes 2^31 from q = 22 and float32 from q = 89:
    LiteRT's float-to-int32 conversion is undefined in C++ there, and gives
    127, as on Arm's saturating conversion; tinyrt's table holds 127."""
    model = _unary("EXP", 1.0, 0, 0.01, 0)
    want = run_litert(model, [VALUES])[0]
    assert (want[0, 128 + 22:] == 127).all()
    np.testing.assert_array_equal(ref.exp_s8(VALUES, **quant.exp_params(1.0, 0, 0.01, 0)), want)
    np.testing.assert_array_equal(Model(compile_tflite(model).blob).run([VALUES])[0], want)


def test_oracle_kernels_agree() -> None:
    """The oracle runs LiteRT's reference kernels; its default resolver
    (optimized kernels, XNNPACK) gives the same bytes on these ops."""
    from ai_edge_litert.interpreter import Interpreter

    for op in sorted(LITERT_OPS):
        for seed in range(30):
            case = make_case(op, seed)
            it = Interpreter(model_content=case.model)
            it.allocate_tensors()
            it.set_tensor(it.get_input_details()[0]["index"], case.inputs[0])
            it.invoke()
            np.testing.assert_array_equal(it.get_tensor(it.get_output_details()[0]["index"]), case.expected()[0],
                                          err_msg=f"{op} seed {seed}: {case.desc}")


@pytest.mark.cross
@pytest.mark.qemu
def test_sample_under_qemu(tmp_path: Path) -> None:
    """QEMU_SAMPLE_PER_OP cases of each op, in and out of place, in one
    QEMU process of the Cortex-M4 board: the same bytes as the host runtime
    and LiteRT."""
    from tinyrt.target.cases import CaseResult, run_cases_qemu

    require_tools(BOARD)
    sample = [(make_case(op, seed), seed % 2 == 0) for op in sorted(LITERT_OPS) for seed in range(QEMU_SAMPLE_PER_OP)]
    blobs = [compile_tflite(case.model, inplace=inplace).blob for case, inplace in sample]
    outputs = run_cases_qemu(BOARD, [(blob, case.inputs) for blob, (case, _) in zip(blobs, sample, strict=True)],
                             tmp_path)
    for (case, _), blob, raw in zip(sample, blobs, outputs, strict=True):
        host = Model(blob).run(case.inputs)
        want = case.expected()
        np.testing.assert_array_equal(host[0], want[0], err_msg=f"host vs LiteRT: {case.desc}")
        np.testing.assert_array_equal(CaseResult(0, raw).split(host)[0], want[0],
                                      err_msg=f"{BOARD} (QEMU) vs LiteRT: {case.desc}")


def test_check_compares_a_model_with_them_against_litert(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`tinyrt check` cannot ask TFLM about such a model: it asks LiteRT,
    and says so."""
    from tinyrt.cli import main

    mb = ModelBuilder()
    x = mb.tensor([1, 4, 4, 3], "int8", q=QParams(0.05, -10), name="x")
    e = mb.tensor([1, 4, 4, 3], "int8", q=QParams(0.02, -128), name="exp")
    mb.op("EXP", [x], [e])
    n = mb.tensor([1, 4, 4, 3], "int8", q=QParams(0.02, 127), name="neg")
    mb.op("NEG", [e], [n])
    r = mb.tensor([1, 4, 4, 3], "int8", q=QParams(1 / 128, 0), name="relu_n1_to_1")
    mb.op("RELU_N1_TO_1", [n], [r])
    model = tmp_path / "litert_ops.tflite"
    model.write_bytes(mb.build([x], [r]))
    assert main(["check", str(model), "--samples", "5"]) == 0
    out = capsys.readouterr().out
    assert "oracle: LiteRT (TFLM has no int8 EXP, NEG, RELU_N1_TO_1)" in out and "bit-exact: 5/5" in out
