"""Reference element-wise kernels: ADD, SUB, MUL, MAXIMUM, MINIMUM, SOFTMAX, (de/re)quantization, the
data movement ops RESHAPE, CONCATENATION and SPLIT, and the reduction MEAN."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from ..quant import SOFTMAX_SCALED_DIFF_INTEGER_BITS, f32_from_bits
from .fixedpoint import (
    INT32_MAX,
    INT32_MIN,
    exp_on_negative_values,
    get_reciprocal,
    i64,
    mul_by_quantized_multiplier,
    rounding_divide_by_pot,
    saturating_rounding_mul_by_pot,
    srdhm,
    wrap32,
)

S8 = NDArray[np.int8]
F32 = NDArray[np.float32]


def _scaled_input(x: S8, offset: int, left_shift: int, multiplier: int, shift: int) -> NDArray[np.int64]:
    """TFLM's input stage of int8 ADD, SUB and SQUARED_DIFFERENCE: (x + offset)
    << left_shift, times a multiplier below one. |x + offset| <= 255, so the
    shift (20 at most) cannot overflow int32."""
    return mul_by_quantized_multiplier((i64(x) + offset) << left_shift, multiplier, shift)


def _add_sub_s8(
    input1: S8,
    input2: S8,
    sign: int,
    *,
    input1_offset: int,
    input1_multiplier: int,
    input1_shift: int,
    input2_offset: int,
    input2_multiplier: int,
    input2_shift: int,
    left_shift: int,
    output_offset: int,
    output_multiplier: int,
    output_shift: int,
    act_min: int,
    act_max: int,
) -> S8:
    """ADD (sign 1) or SUB (sign -1): both inputs rescaled and rounded, then
    added or subtracted (TFLM subtracts the rounded scaled input 2)."""
    raw = _scaled_input(input1, input1_offset, left_shift, input1_multiplier, input1_shift) + sign * _scaled_input(
        input2, input2_offset, left_shift, input2_multiplier, input2_shift
    )
    out = mul_by_quantized_multiplier(raw, output_multiplier, output_shift) + output_offset
    return np.clip(out, act_min, act_max).astype(np.int8)


def add_s8(input1: S8, input2: S8, **params: int) -> S8:
    """ADD with numpy broadcasting (TFLM AddFunc applied per output element);
    params: the fields of trt_add_params_t."""
    return _add_sub_s8(input1, input2, 1, **params)


def sub_s8(input1: S8, input2: S8, **params: int) -> S8:
    """SUB with numpy broadcasting (TFLM SubElementwise / BroadcastQuantSubSlow):
    ADD's params (the same Prepare), the scaled input 2 subtracted."""
    return _add_sub_s8(input1, input2, -1, **params)


def maximum_s8(input1: S8, input2: S8) -> S8:
    """MAXIMUM with numpy broadcasting: the larger raw int8 value (TFLM
    maximum_minimum.cc ignores quantization)."""
    return np.maximum(input1, input2).astype(np.int8)


def minimum_s8(input1: S8, input2: S8) -> S8:
    """MINIMUM with numpy broadcasting: the smaller raw int8 value."""
    return np.minimum(input1, input2).astype(np.int8)


def mul_s8(
    input1: S8,
    input2: S8,
    *,
    input1_offset: int,
    input2_offset: int,
    output_offset: int,
    output_multiplier: int,
    output_shift: int,
    act_min: int,
    act_max: int,
) -> S8:
    """MUL with numpy broadcasting (TFLM MulElementwise / BroadcastMul6DSlow
    per output element)."""
    # Exact for the loader's offsets (|factor| <= 255); wrapped like the C otherwise.
    product = wrap32((i64(input1) + input1_offset) * (i64(input2) + input2_offset))
    # A rescale above 1 can bring the result near INT32_MAX, where TFLM's
    # int32 add of the zero point wraps.
    out = wrap32(mul_by_quantized_multiplier(product, output_multiplier, output_shift) + output_offset)
    return np.clip(out, act_min, act_max).astype(np.int8)


_ACCUMULATION_INTEGER_BITS = 12


def softmax_s8(input: S8, *, input_multiplier: int, input_left_shift: int, diff_min: int) -> S8:
    """SOFTMAX over the last axis; output scale 1/256, zero point -128.

    tflite reference_ops::Softmax<int8_t, int8_t>: exp of the Q5.26 scaled
    differences to the row max, summed in Q12.19, times the Q0.31 reciprocal.
    """
    x = i64(input)
    diff = x - x.max(axis=-1, keepdims=True)
    valid = diff >= diff_min
    # MultiplyByQuantizedMultiplierGreaterThanOne; diff_min keeps the shift in range.
    rescaled = srdhm(wrap32(np.where(valid, diff, 0) << input_left_shift), input_multiplier)
    exp_q0_31 = exp_on_negative_values(rescaled, SOFTMAX_SCALED_DIFF_INTEGER_BITS)
    exp_q12_19 = saturating_rounding_mul_by_pot(exp_q0_31, -_ACCUMULATION_INTEGER_BITS)
    sum_of_exps = wrap32(np.where(valid, exp_q12_19, 0).sum(axis=-1, keepdims=True))

    shifted_scale, num_bits_over_unit = get_reciprocal(sum_of_exps, _ACCUMULATION_INTEGER_BITS)
    exponent = num_bits_over_unit + 31 - 8
    out = rounding_divide_by_pot(srdhm(shifted_scale, exp_q0_31), exponent) - 128
    return np.where(valid, np.clip(out, -128, 127), -128).astype(np.int8)


def _round_half_away_f32(x: F32) -> F32:
    """std::round on float32 values, exactly (no x + 0.5 double rounding)."""
    whole = np.trunc(x)
    frac = x - whole  # exact for floats
    return (whole + np.where(np.abs(frac) >= 0.5, np.sign(x), 0)).astype(np.float32)


def quantize_f32_s8(input: F32, *, scale_bits: int, zero_point: int) -> S8:
    """QUANTIZE float32 -> int8: round_half_away(x / scale) + zero_point,
    the division in float32 (TFLM AffineQuantize)."""
    scale = np.float32(f32_from_bits(scale_bits))
    q = _round_half_away_f32(np.asarray(input, dtype=np.float32) / scale)
    # The int32 cast of an out-of-range float is undefined in C; saturate
    # (what Arm's VCVT does). Test inputs stay inside the int32 range.
    q = np.clip(q.astype(np.float64), INT32_MIN, INT32_MAX).astype(np.int64)
    return np.clip(q + zero_point, -128, 127).astype(np.int8)


def requantize_s8(input: S8, *, input_offset: int, multiplier: int, shift: int, output_offset: int) -> S8:
    """QUANTIZE int8 -> int8 (TFLM reference_ops::Requantize)."""
    out = mul_by_quantized_multiplier(i64(input) + input_offset, multiplier, shift)
    return np.clip(out + output_offset, -128, 127).astype(np.int8)


def dequantize_s8_f32(input: S8, *, scale_bits: int, zero_point: int) -> F32:
    """DEQUANTIZE int8 -> float32: scale * (q - zero_point).

    TFLM multiplies in double and rounds to float; the exact product of a
    float32 and a 9-bit integer fits a double, so a float32 multiply is identical.
    """
    scale = np.float32(f32_from_bits(scale_bits))
    return (scale * (i64(input) - zero_point).astype(np.float32)).astype(np.float32)


def reshape(input: S8, shape: Sequence[int]) -> S8:
    """RESHAPE: same bytes, new dims."""
    return np.asarray(input).reshape(tuple(shape))


def concat_s8(*inputs: S8, axis: int, input_requant: Sequence[dict[str, int]] | None = None) -> S8:
    """CONCATENATION of the inputs along axis (negative counts from the end).

    input_requant: None copies every input (TFLM requires them quantized like
    the output), else one requantize_s8 params dict per input (the `requant`
    of its trt_concat_s8 call), which makes input i TFLM's QUANTIZE(input i)
    to the output quantization. The identity params of an input already quantized like the
    output return its bytes unchanged.
    """
    if input_requant is not None:
        inputs = tuple(requantize_s8(x, **p) for x, p in zip(inputs, input_requant, strict=True))
    return np.concatenate(inputs, axis=axis)


def split_s8(input: S8, *, axis: int, sizes: Sequence[int]) -> list[S8]:
    """SPLIT (equal sizes) or SPLIT_V: consecutive slices of sizes[i] along
    axis (negative counts from the end); the bytes are copied whatever the
    outputs' quantization, as TFLM does."""
    x = np.asarray(input)
    if sum(sizes) != x.shape[axis]:
        raise ValueError(f"split sizes {list(sizes)} do not add up to dim {x.shape[axis]}")
    bounds = np.cumsum(sizes)[:-1]
    return [np.ascontiguousarray(part) for part in np.split(x, bounds, axis=axis)]


def mean_s8(
    input: S8, *, axes: int, input_offset: int, output_offset: int, multiplier: int, shift: int,
    keep_dims: bool = True,
) -> S8:
    """MEAN over the dims set in `axes` (bit 0 n .. bit 3 c of the dims
    right-aligned into NHWC): TFLM reference_ops::QuantizedMeanOrSum, the sum
    of (x + input_offset) requantized with the count folded into multiplier
    and shift. keep_dims False drops the reduced dims (a rank-0 result when
    all are reduced, as in TFLite)."""
    x = np.asarray(input)
    dims = tuple(a for a in range(x.ndim) if axes >> (4 - x.ndim + a) & 1)
    acc = (i64(x) + input_offset).sum(axis=dims, keepdims=keep_dims)
    out = wrap32(mul_by_quantized_multiplier(acc, multiplier, shift) + output_offset)
    return np.asarray(np.clip(out, -128, 127)).astype(np.int8)


def prelu_s8(input: S8, alpha: S8, *, input_offset: int, alpha_offset: int, output_offset: int,
             output_multiplier_1: int, output_shift_1: int, output_multiplier_2: int, output_shift_2: int) -> S8:
    """PRELU with numpy broadcasting of alpha (TFLM BroadcastPrelu4DSlow):
    the identity rescale where x + input_offset >= 0, the rescale of
    x * alpha (both offset) below."""
    x = i64(input) + input_offset
    a = i64(alpha) + alpha_offset
    y = np.where(x >= 0, mul_by_quantized_multiplier(x, output_multiplier_1, output_shift_1),
                 mul_by_quantized_multiplier(x * a, output_multiplier_2, output_shift_2))
    return np.clip(wrap32(y + output_offset), -128, 127).astype(np.int8)


def squared_difference_s8(
    input1: S8,
    input2: S8,
    *,
    input1_offset: int,
    input1_multiplier: int,
    input1_shift: int,
    input2_offset: int,
    input2_multiplier: int,
    input2_shift: int,
    left_shift: int,
    output_offset: int,
    output_multiplier: int,
    output_shift: int,
    act_min: int,
    act_max: int,
) -> S8:
    """SQUARED_DIFFERENCE with numpy broadcasting (TFLM squared_difference.cc):
    the inputs scaled as for ADD, their difference squared (int32), rescaled."""
    diff = _scaled_input(input1, input1_offset, left_shift, input1_multiplier, input1_shift) - _scaled_input(
        input2, input2_offset, left_shift, input2_multiplier, input2_shift
    )
    out = wrap32(mul_by_quantized_multiplier(wrap32(diff * diff), output_multiplier, output_shift) + output_offset)
    return np.clip(out, act_min, act_max).astype(np.int8)
