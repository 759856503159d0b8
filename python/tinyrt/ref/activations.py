"""Reference int8 -> int8 unary functions: each is TFLM's own algorithm for
the op (integer, with the multipliers and shifts of its Prepare from
tinyrt.quant; for ELU its float32 table), or LiteRT's for the ops TFLM has
no int8 kernel for (EXP's float32 table, NEG, RELU_N1_TO_1 through
relu_s8), vectorized. tinyrt runs every one
of them as a LUT: the converter evaluates the function on the 256 int8
values offline (TABLE_INPUTS) and the runtime only indexes the table
(lut_s8)."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import math
from collections.abc import Callable
from typing import cast

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..quant import RSQRT_SHIFT, f32_from_bits
from .fixedpoint import (
    INT32_MAX,
    exp_on_negative_values,
    i64,
    mul_by_quantized_multiplier,
    one_minus_x_over_one_plus_x_for_x_in_0_1,
    one_over_one_plus_x_for_x_in_0_1,
    rounding_divide_by_pot,
    saturating_rounding_mul_by_pot,
    srdhm,
    wrap32,
)

S8 = NDArray[np.int8]
I64 = NDArray[np.int64]

# The int8 value at each table index: the runtime indexes by the input byte
# read as uint8, so index 0..127 holds f(0..127) and 128..255 f(-128..-1).
TABLE_INPUTS = np.arange(256, dtype=np.uint8).view(np.int8)


def lut_s8(input: S8, table: S8) -> S8:
    """LUT: table[uint8(x)] for every element (trt_lut_s8)."""
    return np.asarray(table, np.int8).reshape(256)[np.asarray(input, np.int8).view(np.uint8)]


def _s8(x: I64) -> S8:
    return np.clip(x, -128, 127).astype(np.int8)


def relu_s8(input: S8, *, input_offset: int, output_offset: int, multiplier: int, shift: int, act_min: int,
            act_max: int) -> S8:
    """RELU (TFLM ReluQuantized): output_offset + MultiplyByQuantizedMultiplier(x
    - input_offset, ...) clamped to [act_min, act_max]; input_offset is the
    input zero point itself."""
    y = wrap32(output_offset + mul_by_quantized_multiplier(i64(input) - input_offset, multiplier, shift))
    return np.clip(y, act_min, act_max).astype(np.int8)


def relu6_s8(input: S8, *, lower: int, upper: int) -> S8:
    """RELU6 (TFLM Relu6Quantized): the raw int8 value clamped to [zero, six]
    in the input's quantization; the output's quantization is not used."""
    return np.clip(i64(input), lower, upper).astype(np.int8)


def leaky_relu_s8(input: S8, *, input_zero_point: int, output_zero_point: int, multiplier_identity: int,
                  shift_identity: int, multiplier_alpha: int, shift_alpha: int) -> S8:
    """LEAKY_RELU (TFLM QuantizeLeakyRelu): x - zp_in rescaled by the identity
    multiplier where >= 0, by the alpha multiplier where < 0, plus zp_out."""
    x = i64(input) - input_zero_point
    y = np.where(x >= 0, mul_by_quantized_multiplier(x, multiplier_identity, shift_identity),
                 mul_by_quantized_multiplier(x, multiplier_alpha, shift_alpha))
    return _s8(wrap32(output_zero_point + y))


def _sigmoid_like(input: S8, zero_point: int, radius: int, multiplier: int, left_shift: int,
                  fn: str) -> tuple[I64, NDArray[np.bool_], NDArray[np.bool_]]:
    """The shared front of TFLM's int8 Logistic and Tanh: x - zp, saturation
    outside the input radius, else the Q4.27 input through gemmlowp's
    logistic or tanh (raw Q0.31 result)."""
    x = i64(input) - zero_point
    low, high = x <= -radius, x >= radius
    a = mul_by_quantized_multiplier(np.where(low | high, 0, x), multiplier, left_shift)
    if fn == "logistic":
        # gemmlowp logistic: 1 / (1 + exp(-|a|)), mirrored for a < 0, 1/2 at 0.
        positive = a > 0
        abs_a = np.where(positive, a, -a)
        if_positive = one_over_one_plus_x_for_x_in_0_1(exp_on_negative_values(-abs_a, 4))
        y = np.where(a == 0, 1 << 30, np.where(positive, if_positive, INT32_MAX - if_positive))
    else:
        # gemmlowp tanh: -(1 - exp(2n)) / (1 + exp(2n)) with n = -|a|
        # (ExactMulByPot<1> keeps the raw value, one more integer bit).
        negative = a < 0
        n = np.where(negative, a, -a)
        t = one_minus_x_over_one_plus_x_for_x_in_0_1(exp_on_negative_values(n, 5))
        y = np.where(a == 0, 0, np.where(negative, -t, t))
    return y, low, high


def logistic_s8(input: S8, *, input_zero_point: int, input_range_radius: int, input_multiplier: int,
                input_left_shift: int) -> S8:
    """LOGISTIC (TFLM reference_integer_ops::Logistic): output scale 1/256,
    zero point -128."""
    y, low, high = _sigmoid_like(input, input_zero_point, input_range_radius, input_multiplier, input_left_shift,
                                 "logistic")
    out = np.clip(rounding_divide_by_pot(y, 23) - 128, -128, 127)
    return np.where(low, -128, np.where(high, 127, out)).astype(np.int8)


def tanh_s8(input: S8, *, input_zero_point: int, input_range_radius: int, input_multiplier: int,
            input_left_shift: int) -> S8:
    """TANH (TFLM reference_integer_ops::Tanh): output scale 1/128, zero point
    0 whatever the output tensor says (TFLM does not read it)."""
    y, low, high = _sigmoid_like(input, input_zero_point, input_range_radius, input_multiplier, input_left_shift,
                                 "tanh")
    out = np.clip(rounding_divide_by_pot(y, 24), -128, 127)
    return np.where(low, -128, np.where(high, 127, out)).astype(np.int8)


def _s16(x: ArrayLike) -> I64:
    """int16 wrap (a C conversion to int16_t)."""
    return (i64(x) + 2**15) % 2**16 - 2**15


def _rdbpot16(x: I64, exponent: int) -> I64:
    """gemmlowp RoundingDivideByPOT on int16_t: its mask is (1 << exponent) - 1
    converted to int16_t, which differs from the int32 one from exponent 16 on."""
    mask = int(_s16((1 << exponent) - 1))
    remainder = _s16(x & mask)
    threshold = (mask >> 1) + (x < 0)
    return _s16((x >> exponent) + (remainder > threshold))


def _sat_left_shift16(x: I64, amount: int) -> I64:
    return np.clip(i64(x) * (1 << amount), -(2**15), 2**15 - 1)


def hard_swish_s8(input: S8, *, input_zero_point: int, output_zero_point: int, output_multiplier_fixedpoint_int16: int,
                  output_multiplier_exponent: int, reluish_multiplier_fixedpoint_int16: int,
                  reluish_multiplier_exponent: int) -> S8:
    """HARD_SWISH (TFLM reference_ops::HardSwish<int8_t>), its int16 fixed point step by step."""
    x = _s16(i64(input) - input_zero_point)
    hires = _s16(x * (1 << 7))
    preshift_out = _s16(srdhm(hires, output_multiplier_fixedpoint_int16, bits=16))
    reluish = hires
    if reluish_multiplier_exponent > 0:
        reluish = _sat_left_shift16(reluish, reluish_multiplier_exponent - 1)
    reluish = _s16(srdhm(reluish, reluish_multiplier_fixedpoint_int16, bits=16))
    if reluish_multiplier_exponent > 0:
        reluish = _sat_left_shift16(reluish, 1)
    if reluish_multiplier_exponent < 0:
        reluish = _rdbpot16(reluish, -reluish_multiplier_exponent)
    reluish = _s16((reluish + (1 << 15)) >> 1)
    # SaturatingDoublingHighMul: truncating (C division) high half.
    ab = reluish * preshift_out
    trunc = np.where(ab >= 0, ab // (1 << 15), -((-ab) // (1 << 15)))
    preshift = _s16(np.where((reluish == preshift_out) & (reluish == -(2**15)), 2**15 - 1, trunc))
    out = _rdbpot16(preshift, -output_multiplier_exponent)
    out = _s16(out + output_zero_point)
    return np.clip(out, -128, 127).astype(np.int8)


def abs_s8(input: S8, *, input_offset: int, output_offset: int, needs_rescale: int, multiplier: int,
           shift: int) -> S8:
    """ABS (TFLM AbsEvalQuantized): |x - zp_in|, rescaled when the scales
    differ, plus zp_out."""
    v = np.abs(i64(input) - input_offset)
    if needs_rescale:
        v = mul_by_quantized_multiplier(v, multiplier, shift)
    return _s8(wrap32(v + output_offset))


@functools.cache
def _inv_sqrt_multiplier_exp(value: int) -> tuple[int, int]:
    """TFLM GetInvSqrtQuantizedMultiplierExp(value, kReverseShift = -1) on a
    scalar, in gemmlowp's F3 fixed point. Cached: int8 inputs give at most
    256 values, and each costs some 200 scalar fixed-point steps."""
    if value <= 1:
        return INT32_MAX, 0
    shift = 11
    while value >= 1 << 29:
        value //= 4
        shift += 1
    max_left_shift_bits = (32 - value.bit_length()) - 1
    left_shift_bit_pairs = max_left_shift_bits // 2 - 1
    shift -= left_shift_bit_pairs
    value <<= 2 * left_shift_bit_pairs

    def mul(a: int, b: int) -> int:
        return int(srdhm(a, b))

    def pot(a: int, e: int) -> int:
        return int(saturating_rounding_mul_by_pot(a, e))

    half_input = pot(value >> 1, -1)
    half_three = (1 << 28) + (1 << 27)
    x = 1 << 28  # F3::One()
    for _ in range(5):
        x3 = pot(mul(mul(x, x), x), 6)  # Rescale<3> of an F9
        x = pot(int(wrap32(mul(half_three, x) - mul(half_input, x3))), 3)  # Rescale<3> of an F6
    x = mul(x, 1518500250)  # * sqrt(2) / 2
    if shift < 0:
        x = int(wrap32(x << -shift))
        shift = 0
    return x, -shift


def rsqrt_s8(input: S8, *, input_offset: int, output_offset: int, multiplier: int, shift: int) -> S8:
    """RSQRT (TFLM RsqrtEvalQuantized): 1 / sqrt(x - zp_in) through TFLM's
    fixed-point inverse square root, rescaled, plus zp_out; 127 at the zero
    point. TFLM fails the invocation for an input below the zero point; the
    value computed here for those (as if |x - zp|) is tinyrt's, unchecked."""
    k_shift = RSQRT_SHIFT
    flat = np.asarray(input, np.int8).reshape(-1)
    out = np.empty(flat.shape, np.int8)
    cache: dict[int, int] = {}
    for i, raw in enumerate(flat.tolist()):
        value = abs(raw - input_offset)
        if value not in cache:
            if value == 0:
                cache[value] = 127
            else:
                inv, inv_shift = _inv_sqrt_multiplier_exp(value)
                data = int(mul_by_quantized_multiplier(1, inv, inv_shift + k_shift))
                y = int(mul_by_quantized_multiplier(data, multiplier, shift - k_shift)) + output_offset
                cache[value] = min(max(y, -128), 127)
        out[i] = cache[value]
    return out.reshape(np.shape(input))


@functools.cache
def _expf() -> Callable[[float], float]:
    """The C library's expf, which TFLM's std::exp(float) calls: glibc's is
    not always correctly rounded (0.045% of negative float32 inputs differ
    by one ulp from exp in double rounded to float32), so the table uses the
    very function. Without a C math library, the correctly rounded value."""
    try:
        expf = ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6").expf
    except (OSError, AttributeError):
        return lambda x: float(np.float32(math.exp(x)))
    expf.restype, expf.argtypes = ctypes.c_float, [ctypes.c_float]
    return cast(Callable[[float], float], expf)


def _float_table(name: str, transform: Callable[[np.float32], np.float32], input_scale_bits: int,
                 input_zero_point: int, output_scale_bits: int, output_zero_point: int,
                 saturate: bool) -> dict[int, int]:
    """A table filled in float32 as TFLM's ELU PopulateLookupTable and
    LiteRT's LUTPopulate<int8_t> both do: x = s_in * (q - zp_in),
    round(f(x) * (1 / s_out)) (halves away from zero), + zp_out in float32,
    converted to int32 and clamped to int8. A value beyond int32 makes that
    conversion undefined in C++: with `saturate` it is the int8 end of its
    sign (what the LiteRT wheel gives, on x86 as on Arm's saturating
    conversion), else a ValueError; NaN (0 times an infinite 1 / s_out) is
    always one."""
    s_in, s_out = np.float32(f32_from_bits(input_scale_bits)), np.float32(f32_from_bits(output_scale_bits))
    with np.errstate(over="ignore"):
        inverse_scale = np.float32(1) / s_out
    values = {}
    for q in range(-128, 128):
        with np.errstate(over="ignore", invalid="ignore"):
            x = np.float32(s_in * np.float32(q - input_zero_point))
            r = np.float32(transform(x) * inverse_scale)
        if np.isnan(r) or (not np.isfinite(r) and not saturate):
            raise ValueError(f"{name}({float(x):g}) / output scale {float(s_out):g} is not finite")
        if not np.isfinite(r):
            values[q] = 127 if r > 0 else -128
            continue
        rounded = np.float32(math.copysign(math.floor(abs(float(r)) + 0.5), float(r)))
        total = float(np.float32(rounded + np.float32(output_zero_point)))
        if not -(2**31) <= total < 2**31:
            if not saturate:
                raise ValueError(f"{name}({float(x):g}) / output scale {float(s_out):g} is outside int32")
            total = math.copysign(2**31, total)
        values[q] = min(max(int(total), -128), 127)
    return values


def _apply(values: dict[int, int], input: S8) -> S8:
    return np.vectorize(values.__getitem__, otypes=[np.int8])(np.asarray(input, np.int8)).astype(np.int8)


def elu_s8(input: S8, *, input_scale_bits: int, input_zero_point: int, output_scale_bits: int,
           output_zero_point: int) -> S8:
    """ELU (TFLM elu.cc PopulateLookupTable, in float32): exp(x) - 1 for x <
    0, else x; TFLM's values beyond int32 are refused."""

    def elu(x: np.float32) -> np.float32:
        return np.float32(np.float32(_expf()(float(x))) - np.float32(1)) if x < 0 else x

    return _apply(_float_table("ELU", elu, input_scale_bits, input_zero_point, output_scale_bits, output_zero_point,
                               saturate=False), input)


def exp_s8(input: S8, *, input_scale_bits: int, input_zero_point: int, output_scale_bits: int,
           output_zero_point: int) -> S8:
    """EXP (LiteRT exp.cc: LUTPopulate<int8_t> of std::exp(float), the C
    library's expf); values beyond int32 (exp overflowing float32, a tiny
    output scale) saturate to 127 as LiteRT's do."""
    return _apply(_float_table("EXP", lambda x: np.float32(_expf()(float(x))), input_scale_bits, input_zero_point,
                               output_scale_bits, output_zero_point, saturate=True), input)


def neg_s8(input: S8) -> S8:
    """NEG (LiteRT neg.cc, reference_ops::Negate on int8): the raw value
    negated, -128 wrapping to itself, whatever the scales and zero points
    say (LiteRT does not read them)."""
    return (-np.asarray(input, np.int8).astype(np.int32)).astype(np.int8)
