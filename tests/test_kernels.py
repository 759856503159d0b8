"""The C runtime on generated single-op models: every op, 300 random cases
each (tests/cases.py), whole output tensors compared with TFLM and with the
numpy reference kernel. Depthwise cases run through both the out-of-place
and (where the depth multiplier is 1) the in-place C kernel."""

from __future__ import annotations

import numpy as np
import pytest

from cases import OPS, make_case
from tinyrt.compiler import compile_tflite
from tinyrt.format import OpType
from tinyrt.native import Model
from tinyrt.oracle import run_tflm

CASES_PER_OP = 500


def _run_c(model: bytes, inputs: list[np.ndarray], inplace: bool) -> tuple[np.ndarray, list[OpType]]:
    compiled = compile_tflite(model, inplace=inplace)
    out = Model(compiled.blob).run(inputs)
    assert len(out) == 1
    return out[0], [op.type for op in compiled.graph.ops]


@pytest.mark.parametrize("op", sorted(OPS))
def test_c_runtime_matches_tflm_and_numpy(op: str) -> None:
    inplace_runs = 0
    for seed in range(CASES_PER_OP):
        case = make_case(op, seed)
        expected = run_tflm(case.model, case.inputs)[0]
        reference = case.reference()
        np.testing.assert_array_equal(reference, expected, err_msg=f"numpy vs TFLM, {op} seed {seed}: {case.desc}")
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
