"""The numpy fixed-point helpers against a scalar transcription of the C
code, and quantization edge values. The kernels themselves are compared with
TFLM and the C runtime in test_kernels.py."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("tflite_micro", reason="the TFLM Python interpreter (pip install tflite-micro) is the oracle")
pytest.importorskip("tflite", reason="tinyrt.tflite_writer needs the tflite flatbuffer package")

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tinyrt import quant, ref  # noqa: E402
from tinyrt.ref import fixedpoint as fx  # noqa: E402

# --- fixed-point helpers against a scalar transcription of the C code ---

int32s = st.integers(-(2**31), 2**31 - 1)


def _wrap(x: int) -> int:
    return (x + 2**31) % 2**32 - 2**31


def _srdhm(a: int, b: int) -> int:
    if a == b == -(2**31):
        return 2**31 - 1
    ab = a * b
    t = ab + ((1 << 30) if ab >= 0 else 1 - (1 << 30))
    return (abs(t) >> 31) * (1 if t >= 0 else -1)  # C division truncates toward zero


def _rdbpot(x: int, exponent: int) -> int:
    mask = (1 << exponent) - 1
    threshold = (mask >> 1) + (1 if x < 0 else 0)
    return (x >> exponent) + (1 if (x & mask) > threshold else 0)


@given(int32s, int32s)
def test_srdhm_matches_scalar(a: int, b: int) -> None:
    assert int(fx.srdhm(a, b)) == _srdhm(a, b)


@given(int32s, st.integers(0, 2**31 - 1), st.integers(-31, 30))
def test_mul_by_quantized_multiplier_matches_scalar(x: int, multiplier: int, shift: int) -> None:
    left, right = max(shift, 0), max(-shift, 0)
    expected = _rdbpot(_srdhm(_wrap(x * (1 << left)), multiplier), right)
    assert int(ref.mul_by_quantized_multiplier(x, multiplier, shift)) == expected
    # Vectorized with per-element multipliers and shifts, as per-channel conv uses it.
    got = ref.mul_by_quantized_multiplier(np.array([x, x]), np.array([multiplier, 0]), np.array([shift, 0]))
    assert got.tolist() == [expected, 0]


def test_quantize_multiplier_edges() -> None:
    assert quant.quantize_multiplier(0.0) == (0, 0)
    assert quant.quantize_multiplier(1.0) == (1 << 30, 1)
    assert quant.quantize_multiplier(0.5) == (1 << 30, 0)
    # Rounds up to 2**31: halved, exponent bumped.
    assert quant.quantize_multiplier(1.0 - 2.0**-40) == (1 << 30, 1)
    # Below 2**-32 the exponent would be < -31: flushed to zero.
    assert quant.quantize_multiplier(2.0**-33) == (0, 0)
    assert quant.quantize_multiplier(2.0**-32) == (1 << 30, -31)
    # Round half away from zero on the Q31 mantissa.
    assert quant.quantize_multiplier(0.5 + 2.0**-32) == ((1 << 30) + 1, 0)
