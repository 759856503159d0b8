"""Every kernel on generated single-op models (tests/cases.py): 500 random
cases per op plus targeted probes of TFLM's Prepare arithmetic (float32 vs
double, rounding); the C runtime's, the numpy reference's and TFLM's whole
output tensors must be identical. Depthwise cases run through both the
out-of-place and (depth multiplier 1) the in-place kernels, C and numpy."""

from __future__ import annotations

import numpy as np
import pytest

from cases import OPS, PROBES, make_case
from tinyrt import ref
from tinyrt.compiler import compile_tflite
from tinyrt.format import OpType
from tinyrt.native import Model
from tinyrt.oracle import run_tflm

CASES_PER_OP = 500
CASES_PER_PROBE = 50


def _run_c(model: bytes, inputs: list[np.ndarray], inplace: bool) -> tuple[np.ndarray, list[OpType]]:
    compiled = compile_tflite(model, inplace=inplace)
    out = Model(compiled.blob).run(inputs)
    assert len(out) == 1
    return out[0], [op.type for op in compiled.graph.ops]


@pytest.mark.parametrize("op", sorted(OPS) + sorted(PROBES))
def test_c_runtime_matches_tflm_and_numpy(op: str) -> None:
    inplace_runs = 0
    for seed in range(CASES_PER_OP if op in OPS else CASES_PER_PROBE):
        case = make_case(op, seed)
        expected = run_tflm(case.model, case.inputs)[0]
        reference = case.reference()
        np.testing.assert_array_equal(reference, expected, err_msg=f"numpy vs TFLM, {op} seed {seed}: {case.desc}")
        if case.kernel == "dwconv_s8" and case.params["depth_multiplier"] == 1:
            np.testing.assert_array_equal(ref.dwconv_s8_inplace(*case.inputs, *case.args, **case.params), expected,
                                          err_msg=f"numpy in place vs TFLM, seed {seed}: {case.desc}")
        for inplace in (False, True) if op == "dwconv" else (True,):
            ours, kernels = _run_c(case.model, case.inputs, inplace)
            inplace_runs += OpType.DEPTHWISE_CONV_2D_INPLACE in kernels
            assert ours.dtype == expected.dtype and ours.shape == tuple(expected.shape)
            np.testing.assert_array_equal(
                ours, expected, err_msg=f"C ({'in place' if inplace else 'ref'}) vs TFLM, {op} seed {seed}: {case.desc}"
            )
    if op == "dwconv":
        # Depth multiplier 1 is common among the cases, so the in-place kernel
        # is exercised heavily, not just once.
        assert inplace_runs >= CASES_PER_OP // 4
