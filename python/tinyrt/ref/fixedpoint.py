"""Vectorized gemmlowp / TFLM fixed-point primitives on int64 arrays.

Values live in int64 arrays but always hold int32 values: every step that the
C code performs in int32 is wrapped (wrap32) or saturated exactly as the C
does, so results match TFLM bit for bit, including its overflow behaviour.

Sources: gemmlowp fixedpoint/fixedpoint.h, tflite kernels/internal/common.{h,cc}.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

I64 = NDArray[np.int64]

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1


def i64(x: ArrayLike) -> I64:
    return np.asarray(x, dtype=np.int64)


def wrap32(x: ArrayLike) -> I64:
    """Two's-complement int32 wrap (what the int32 C arithmetic produces)."""
    return (i64(x) + 2**31) % 2**32 - 2**31


def trunc_div(a: I64, b: ArrayLike) -> I64:
    """C integer division: rounds toward zero, unlike numpy's floor division."""
    q = np.abs(a) // np.abs(i64(b))
    return np.where((a < 0) != (i64(b) < 0), -q, q)


def srdhm(a: ArrayLike, b: ArrayLike, bits: int = 32) -> I64:
    """SaturatingRoundingDoublingHighMul (ARM VQRDMULH) on int32 values, or
    with bits=16 gemmlowp's int16_t overload."""
    a, b = i64(a), i64(b)
    ab = a * b  # |ab| <= 2**62: no int64 overflow
    nudge = np.where(ab >= 0, 1 << (bits - 2), 1 - (1 << (bits - 2)))
    high = trunc_div(ab + nudge, 1 << (bits - 1))
    lowest = -(1 << (bits - 1))
    return np.where((a == b) & (a == lowest), -lowest - 1, high)


def rounding_divide_by_pot(x: ArrayLike, exponent: ArrayLike) -> I64:
    """RoundingDivideByPOT: arithmetic right shift, rounding half away from zero."""
    x, exponent = i64(x), i64(exponent)
    mask = (np.int64(1) << exponent) - 1
    remainder = x & mask
    threshold = (mask >> 1) + (x < 0)
    return (x >> exponent) + (remainder > threshold)


def saturating_rounding_mul_by_pot(x: ArrayLike, exponent: int) -> I64:
    """SaturatingRoundingMultiplyByPOT<exponent>: saturating left shift for a
    positive exponent, rounding right shift for a negative one."""
    x = i64(x)
    if exponent <= 0:
        return rounding_divide_by_pot(x, -exponent)
    threshold = (1 << (31 - exponent)) - 1
    shifted = wrap32(x << exponent)
    return np.where(x > threshold, INT32_MAX, np.where(x < -threshold, INT32_MIN, shifted))


def mul_by_quantized_multiplier(x: ArrayLike, mult: ArrayLike, shift: ArrayLike) -> I64:
    """TFLM MultiplyByQuantizedMultiplier, double-rounding build.

    x * (1 << left_shift) is an int32 multiply in TFLM; it wraps on overflow
    (possible only for multipliers far above 1), so it wraps here too.
    """
    shift = i64(shift)
    left = np.maximum(shift, 0)
    right = np.maximum(-shift, 0)
    return rounding_divide_by_pot(srdhm(wrap32(i64(x) << left), mult), right)


def count_leading_zeros32(x: I64) -> I64:
    """CountLeadingZeros(static_cast<uint32_t>(x)) for x in [0, 2**32)."""
    _, bit_length = np.frexp(x.astype(np.float64))  # exact: x < 2**53
    return 32 - bit_length.astype(np.int64)


# --- gemmlowp transcendental helpers (FixedPoint<int32_t, N> on raw values) ---


def _exp_on_interval_between_negative_one_quarter_and_0_excl(a: I64) -> I64:
    """exp(a) for a in [-1/4, 0), input and output Q0.31."""
    constant_term = 1895147668  # exp(-1/8)
    constant_1_over_3 = 715827883
    x = a + (1 << 28)  # Taylor expansion around -1/8
    x2 = srdhm(x, x)
    x3 = srdhm(x2, x)
    x4 = srdhm(x2, x2)
    x4_over_4 = rounding_divide_by_pot(x4, 2)
    poly = rounding_divide_by_pot(srdhm(x4_over_4 + x3, constant_1_over_3) + x2, 1)
    return wrap32(constant_term + srdhm(constant_term, x + poly))


# (exponent, Q0.31 raw value of exp(-2**exponent)) for the barrel shifter.
_EXP_BARREL = ((-2, 1672461947), (-1, 1302514674), (0, 790015084), (1, 290630308), (2, 39332535), (3, 720401), (4, 242))


def exp_on_negative_values(a: ArrayLike, integer_bits: int) -> I64:
    """gemmlowp exp_on_negative_values: a is Q(integer_bits).(31 - integer_bits),
    a <= 0; the result is Q0.31."""
    a = i64(a)
    fractional_bits = 31 - integer_bits
    one_quarter = 1 << (fractional_bits - 2)
    a_mod_quarter_minus_one_quarter = (a & (one_quarter - 1)) - one_quarter
    result = _exp_on_interval_between_negative_one_quarter_and_0_excl(
        saturating_rounding_mul_by_pot(a_mod_quarter_minus_one_quarter, integer_bits)
    )
    remainder = wrap32(a_mod_quarter_minus_one_quarter - a)
    for exponent, multiplier in _EXP_BARREL:
        if integer_bits > exponent:
            bit = (remainder >> (fractional_bits + exponent)) & 1
            result = np.where(bit != 0, srdhm(result, multiplier), result)
    if integer_bits > 5:
        clamp = -(1 << (36 - integer_bits))  # -32.0
        result = np.where(a < clamp, 0, result)
    return np.where(a == 0, INT32_MAX, result)


_ONE_Q2_29 = 1 << 29


def _newton_one_over_half_denominator(a: I64) -> I64:
    """The Newton-Raphson division shared by gemmlowp's
    one_over_one_plus_x_for_x_in_0_1 and one_minus_x_over_one_plus_x_for_x_in_0_1:
    1 / ((1 + a) / 2) in Q2.29 for a Q0.31 in [0, 1)."""
    total = a + INT32_MAX  # RoundingHalfSum(a, F0::One())
    half_denominator = trunc_div(total + np.where(total >= 0, 1, -1), 2)
    constant_48_over_17 = 1515870810
    constant_neg_32_over_17 = -1010580540
    x = wrap32(constant_48_over_17 + srdhm(half_denominator, constant_neg_32_over_17))
    for _ in range(3):
        one_minus_half_denominator_times_x = wrap32(_ONE_Q2_29 - srdhm(half_denominator, x))
        x = wrap32(x + saturating_rounding_mul_by_pot(srdhm(x, one_minus_half_denominator_times_x), 2))
    return x


def one_over_one_plus_x_for_x_in_0_1(a: ArrayLike) -> I64:
    """gemmlowp one_over_one_plus_x_for_x_in_0_1: Q0.31 in, Q0.31 out."""
    x = _newton_one_over_half_denominator(i64(a))
    return saturating_rounding_mul_by_pot(x, 1)  # Rescale<0>(ExactMulByPot<-1>(x))


def one_minus_x_over_one_plus_x_for_x_in_0_1(a: ArrayLike) -> I64:
    """gemmlowp one_minus_x_over_one_plus_x_for_x_in_0_1 (tanh): Q0.31 in, Q0.31 out."""
    x = _newton_one_over_half_denominator(i64(a))
    return saturating_rounding_mul_by_pot(wrap32(x - _ONE_Q2_29), 2)  # Rescale<0>(x - F2::One())


def get_reciprocal(x: ArrayLike, x_integer_digits: int) -> tuple[I64, I64]:
    """TFLM GetReciprocal for x > 0: returns (Q0.31 scale, num_bits_over_unit)."""
    x = i64(x)
    headroom_plus_one = count_leading_zeros32(x)
    num_bits_over_unit = x_integer_digits - headroom_plus_one
    shifted_sum_minus_one = wrap32((x << headroom_plus_one) - (1 << 31))
    return one_over_one_plus_x_for_x_in_0_1(shifted_sum_minus_one), num_bits_over_unit
