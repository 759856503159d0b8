"""The numpy fixed-point helpers (tinyrt.ref.fixedpoint) against the C ones
they mirror (kernels/include/tinyrt/fixedpoint.h, through the cffi binding),
and quantization edge values. The kernels themselves are compared with TFLM
and the C runtime in test_kernels.py."""

from __future__ import annotations

import itertools
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tinyrt import quant, ref
from tinyrt.ref import fixedpoint as fx

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
# Where rounding, saturation and wrap-around change behaviour.
EDGES = sorted(
    {INT32_MIN, INT32_MIN + 1, INT32_MAX, INT32_MAX - 1, 0, 1, -1, 2, -2}
    | {s * (1 << k) + d for s in (1, -1) for k in (7, 8, 15, 16, 24, 26, 28, 29, 30) for d in (-1, 0, 1)}
)
int32s = st.one_of(st.sampled_from(EDGES), st.integers(INT32_MIN, INT32_MAX))


@pytest.fixture(scope="module")
def c() -> Any:
    """The C helpers, from the host binding (_ffi_build.py declares every
    static inline function of fixedpoint.h)."""
    try:
        from tinyrt._native import ffi, lib
    except ImportError:
        pytest.fail("tinyrt's host binding is not built: run `scons board=host`")
    if not hasattr(lib, "trt_sat_rounding_doubling_high_mul"):
        pytest.fail("tinyrt._native lacks the fixed-point helpers: rebuild it with `scons board=host`")
    return SimpleNamespace(ffi=ffi, lib=lib)


def _reciprocal(c: Any, x: int, digits: int) -> tuple[int, int]:
    bits = c.ffi.new("int *")
    return c.lib.trt_get_reciprocal(x, digits, bits), bits[0]


# --- every pair or value of EDGES, numpy vectorized against C one by one ---


def test_edge_pairs(c: Any) -> None:
    a, b = (np.array(v, dtype=np.int64) for v in zip(*itertools.product(EDGES, EDGES), strict=True))
    pairs = list(zip(a.tolist(), b.tolist(), strict=True))
    assert fx.srdhm(a, b).tolist() == [c.lib.trt_sat_rounding_doubling_high_mul(x, y) for x, y in pairs]
    assert fx.wrap32(a + b).tolist() == [c.lib.trt_wrap_add_s32(x, y) for x, y in pairs]
    assert fx.wrap32(a - b).tolist() == [c.lib.trt_wrap_sub_s32(x, y) for x, y in pairs]
    # Every multiplier sign and every shift, per element as per-channel conv uses it.
    for shift in range(-31, 32):
        got = ref.mul_by_quantized_multiplier(a, b, np.full_like(a, shift)).tolist()
        assert got == [c.lib.trt_mul_by_quantized_multiplier(x, y, shift) for x, y in pairs], shift


def test_edge_values(c: Any) -> None:
    x = np.array(EDGES, dtype=np.int64)
    for e in range(32):
        assert fx.rounding_divide_by_pot(x, e).tolist() == [c.lib.trt_rounding_divide_by_pot(v, e) for v in EDGES]
        assert fx.wrap32(x << e).tolist() == [c.lib.trt_wrap_shl_s32(v, e) for v in EDGES]
    for e in range(-31, 32):
        got = fx.saturating_rounding_mul_by_pot(x, e).tolist()
        assert got == [c.lib.trt_sat_rounding_mul_by_pot(v, e) for v in EDGES], e
    assert fx.count_leading_zeros32(x % 2**32).tolist() == [c.lib.trt_clz_u32(v % 2**32) for v in EDGES]
    assert fx.wrap32(x % 2**32).tolist() == [c.lib.trt_wrap_s32(v % 2**32) for v in EDGES]
    negative = x[x <= 0]
    assert fx.exp_on_negative_values(negative, 5).tolist() == [
        c.lib.trt_exp_on_negative_values_q5(v) for v in negative.tolist()
    ]
    quarter = x[(x >= -(2**29)) & (x < 0)]
    assert fx._exp_on_interval_between_negative_one_quarter_and_0_excl(quarter).tolist() == [
        c.lib.trt_exp_on_interval_between_negative_one_quarter_and_0_excl(v) for v in quarter.tolist()
    ]
    unit = x[x >= 0]
    assert fx.one_over_one_plus_x_for_x_in_0_1(unit).tolist() == [
        c.lib.trt_one_over_one_plus_x_for_x_in_0_1(v) for v in unit.tolist()
    ]
    positive = x[x > 0]
    for digits in range(32):
        scale, bits = fx.get_reciprocal(positive, digits)
        assert list(zip(scale.tolist(), bits.tolist(), strict=True)) == [
            _reciprocal(c, v, digits) for v in positive.tolist()
        ]


# --- random values (edges over-represented) ---


@given(int32s, int32s)
def test_srdhm(c: Any, a: int, b: int) -> None:
    assert int(fx.srdhm(a, b)) == c.lib.trt_sat_rounding_doubling_high_mul(a, b)


@given(int32s, st.integers(0, 31))
def test_rounding_divide_by_pot(c: Any, x: int, exponent: int) -> None:
    assert int(fx.rounding_divide_by_pot(x, exponent)) == c.lib.trt_rounding_divide_by_pot(x, exponent)


@given(int32s, int32s, st.integers(-31, 31))
def test_mul_by_quantized_multiplier(c: Any, x: int, multiplier: int, shift: int) -> None:
    expected = c.lib.trt_mul_by_quantized_multiplier(x, multiplier, shift)
    assert int(ref.mul_by_quantized_multiplier(x, multiplier, shift)) == expected
    # Vectorized with per-element multipliers and shifts, as per-channel conv uses it.
    got = ref.mul_by_quantized_multiplier(np.array([x, x]), np.array([multiplier, 0]), np.array([shift, 0]))
    assert got.tolist() == [expected, 0]


@given(int32s, st.integers(-31, 31))
def test_saturating_rounding_mul_by_pot(c: Any, x: int, exponent: int) -> None:
    assert int(fx.saturating_rounding_mul_by_pot(x, exponent)) == c.lib.trt_sat_rounding_mul_by_pot(x, exponent)


@given(st.one_of(st.sampled_from([e for e in EDGES if e <= 0]), st.integers(INT32_MIN, 0)))
def test_exp_on_negative_values(c: Any, a: int) -> None:
    assert int(fx.exp_on_negative_values(a, 5)) == c.lib.trt_exp_on_negative_values_q5(a)


@given(st.integers(-(2**29), -1))
def test_exp_on_interval_between_negative_one_quarter_and_0_excl(c: Any, a: int) -> None:
    expected = c.lib.trt_exp_on_interval_between_negative_one_quarter_and_0_excl(a)
    assert int(fx._exp_on_interval_between_negative_one_quarter_and_0_excl(np.int64(a))) == expected


@given(st.one_of(st.sampled_from([e for e in EDGES if e >= 0]), st.integers(0, INT32_MAX)))
def test_one_over_one_plus_x_for_x_in_0_1(c: Any, a: int) -> None:
    assert int(fx.one_over_one_plus_x_for_x_in_0_1(a)) == c.lib.trt_one_over_one_plus_x_for_x_in_0_1(a)


@given(st.one_of(st.sampled_from([e for e in EDGES if e > 0]), st.integers(1, INT32_MAX)), st.integers(0, 31))
def test_get_reciprocal(c: Any, x: int, digits: int) -> None:
    scale, bits = fx.get_reciprocal(np.int64(x), digits)
    assert (int(scale), int(bits)) == _reciprocal(c, x, digits)


# --- quantization edge values ---


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


def test_mul_params_edges() -> None:
    # A rescale just below 2**31 is the largest shift, 31; from 2**31 on there is none.
    assert quant.mul_params(1.0, 0, 1.0, 0, 2.0**-30, 0)["output_shift"] == 31
    with pytest.raises(ValueError):
        quant.mul_params(1.0, 0, 1.0, 0, 2.0**-31, 0)
    p = quant.mul_params(0.5, -3, 0.25, 7, 0.125, -128, "RELU6")
    assert p == dict(
        input1_offset=3, input2_offset=-7, output_offset=-128, output_multiplier=1 << 30, output_shift=1,
        act_min=-128, act_max=-80,
    )  # fmt: skip


def test_concat_input_requant_edges() -> None:
    assert quant.concat_input_requant([(0.5, 3), (0.5, 3)], 0.5, 3) is None
    # The float32 scales decide, as TFLM's check does.
    assert quant.concat_input_requant([(0.1, 3)], float(np.float32(0.1)), 3) is None
    identity, other = quant.concat_input_requant([(0.5, 3), (0.5, 4)], 0.5, 3) or []
    assert identity == dict(input_offset=-3, multiplier=1 << 30, shift=1, output_offset=3)
    assert other == dict(input_offset=-4, multiplier=1 << 30, shift=1, output_offset=3)
    values = np.arange(-128, 128, dtype=np.int8)
    assert np.array_equal(ref.requantize_s8(values, **identity), values)
