"""Offline quantization math, bit-exact with TFLM's kernel Prepare code.

The converter uses these to lower a .tflite model to tinyrt ops, so every
function reproduces the TFLM source down to float32-vs-double evaluation order.
Model scales are float32: every scale argument is first rounded to float32,
then widened to double exactly where TFLM widens it.

Sources (tensorflow/tflite-micro):
  kernels/internal/quantization_util.cc  QuantizeMultiplier, PreprocessSoftmaxScaling,
                                         CalculateInputRadius
  kernels/kernel_util.cc                 PopulateConvolutionQuantizationParams,
                                         GetQuantizedConvolutionMultipler,
                                         CalculateActivationRangeQuantized
  micro/kernels/add_common.cc            CalculateOpDataAdd
  micro/kernels/mul_common.cc            CalculateOpDataMul
  micro/kernels/softmax_common.cc        CalculateSoftmaxParams
  micro/kernels/quantize_common.cc       PrepareQuantizeReference
  micro/kernels/fully_connected_common.cc CalculateOpDataFullyConnected
  micro/kernels/padding.h                ComputePaddingHeightWidth
  micro/kernels/activations_common.cc, leaky_relu_common.cc, logistic_common.cc,
  tanh.cc, hard_swish_common.cc, elementwise.cc (ABS, RSQRT), elu.cc,
  prelu_common.cc, squared_difference.cc   the int8 functions, PRELU, SQUARED_DIFFERENCE
LiteRT (google-ai-edge/LiteRT tflite/kernels), for the ops TFLM has no int8
kernel for: exp.cc (EXP), activations.cc ReluPrepare/QuantizedReluX (RELU_N1_TO_1).

TFLM versions differ in such details (GetQuantizedConvolutionMultipler once
multiplied the scales in float32); the installed tflite-micro package is the
reference. The probe_* cases in tests/cases.py pin each observable detail.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Sequence

import numpy as np

INT8_MIN, INT8_MAX = -128, 127
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1

ACTIVATIONS = ("NONE", "RELU", "RELU6", "RELU_N1_TO_1")


def f32(x: float) -> float:
    """Round to the nearest float32, as storing a scale in the model does."""
    return float(np.float32(x))


def f32_bits(x: float) -> int:
    """IEEE-754 bit pattern of float32(x) as a signed int32 (param struct field)."""
    return struct.unpack("<i", struct.pack("<f", x))[0]


def f32_from_bits(bits: int) -> float:
    return struct.unpack("<f", struct.pack("<i", bits))[0]


def round_half_away(x: float) -> float:
    """TfLiteRound / std::round. Exact: floor(|x| + 0.5) can round up wrongly
    (0.49999997f + 0.5f == 1.0f), the fractional part never does."""
    a = abs(x)
    r = math.floor(a)
    if a - r >= 0.5:
        r += 1
    return math.copysign(r, x)


def quantize_multiplier(real: float) -> tuple[int, int]:
    """TFLM QuantizeMultiplier (double-rounding build): real ~= m * 2**(shift - 31).

    Returns (multiplier, shift), shift > 0 meaning a left shift. The
    `shift > 30` saturation exists only in TFLITE_SINGLE_ROUNDING builds and is
    deliberately absent here, as in the default TFLM build.
    """
    if not math.isfinite(real):
        raise ValueError(f"rescale {real!r} is not finite")
    if real == 0.0:
        return 0, 0
    q, shift = math.frexp(real)
    q_fixed = int(round_half_away(q * (1 << 31)))
    assert q_fixed <= 1 << 31
    if q_fixed == 1 << 31:
        q_fixed //= 2
        shift += 1
    assert q_fixed <= INT32_MAX
    # Below 2**-31 every product would shift out entirely: flush to zero.
    if shift < -31:
        shift = 0
        q_fixed = 0
    return q_fixed, shift


def _smaller_than_one_exp(real: float) -> tuple[int, int]:
    """QuantizeMultiplierSmallerThanOneExp."""
    assert 0.0 < real < 1.0, real
    m, shift = quantize_multiplier(real)
    assert shift <= 0
    return m, shift


def conv_multipliers(
    input_scale: float, filter_scales: float | Sequence[float], output_scale: float
) -> tuple[np.ndarray, np.ndarray]:
    """Per-channel (multiplier, shift) int32 arrays for CONV_2D/DEPTHWISE_CONV_2D
    (PopulateConvolutionQuantizationParams) and per-channel FULLY_CONNECTED.

    Every factor is a float32 widened to double before the product.
    """
    scales = np.atleast_1d(np.asarray(filter_scales, dtype=np.float32))
    s_in, s_out = f32(input_scale), f32(output_scale)
    pairs = [quantize_multiplier(s_in * float(s) / s_out) for s in scales]
    return (
        np.array([m for m, _ in pairs], dtype=np.int32),
        np.array([s for _, s in pairs], dtype=np.int32),
    )


def fc_multipliers(
    input_scale: float, filter_scales: float | Sequence[float], output_scale: float
) -> tuple[np.ndarray, np.ndarray]:
    """FULLY_CONNECTED multipliers as int32 arrays, length 1 for a per-tensor
    filter. Both the per-channel path and GetQuantizedConvolutionMultipler
    (per tensor) widen the scales to double before the product, exactly as
    conv does; older TFLite used a float32 product, 1 LSB off at times."""
    return conv_multipliers(input_scale, filter_scales, output_scale)


def _quantize_activation_bound(f: float, scale: float, zero_point: int) -> int:
    # float32 division, then std::round on the float.
    with np.errstate(over="ignore"):
        ratio = float(np.float32(f) / np.float32(scale))
    if not (math.isfinite(ratio) and INT32_MIN <= ratio <= INT32_MAX):
        raise ValueError(f"activation bound {f} / scale {scale:g} is outside int32 (TFLM rejects this range)")
    tmp = round_half_away(ratio)
    if not INT32_MIN <= tmp <= INT32_MAX:
        raise ValueError(f"activation bound {f} / scale {scale:g} is outside int32 (TFLM rejects this range)")
    return zero_point + int(tmp)


def activation_range(activation: str, scale: float, zero_point: int) -> tuple[int, int]:
    """CalculateActivationRangeQuantized for an int8 output."""

    def q(f: float) -> int:
        return _quantize_activation_bound(f, scale, zero_point)

    if activation == "NONE":
        return INT8_MIN, INT8_MAX
    if activation == "RELU":
        return max(INT8_MIN, q(0.0)), INT8_MAX
    if activation == "RELU6":
        return max(INT8_MIN, q(0.0)), min(INT8_MAX, q(6.0))
    if activation == "RELU_N1_TO_1":
        return max(INT8_MIN, q(-1.0)), min(INT8_MAX, q(1.0))
    raise ValueError(f"unsupported activation {activation!r}")


ADD_LEFT_SHIFT = 20  # int8 add; TFLM uses 15 for int16


def _add_input_multipliers(input1_scale: float, input2_scale: float) -> tuple[float, tuple[int, int], tuple[int, int]]:
    """twice_max_input_scale (2 * double(max of the float32 scales)) and the
    input multipliers s_i / twice_max of int8 ADD, SUB and SQUARED_DIFFERENCE."""
    s1, s2 = f32(input1_scale), f32(input2_scale)
    twice_max = 2.0 * max(s1, s2)
    return twice_max, _smaller_than_one_exp(s1 / twice_max), _smaller_than_one_exp(s2 / twice_max)


def add_params(
    input1_scale: float,
    input1_zero_point: int,
    input2_scale: float,
    input2_zero_point: int,
    output_scale: float,
    output_zero_point: int,
    activation: str = "NONE",
) -> dict[str, int]:
    """The fields of trt_add_params_t (CalculateOpDataAdd), all in double.

    twice_max_input_scale is 2 * double(max of the two float32 scales).
    """
    s_out = f32(output_scale)
    twice_max, (m1, sh1), (m2, sh2) = _add_input_multipliers(input1_scale, input2_scale)
    m_out, sh_out = _smaller_than_one_exp(twice_max / ((1 << ADD_LEFT_SHIFT) * s_out))
    act_min, act_max = activation_range(activation, output_scale, output_zero_point)
    return {
        "input1_offset": -input1_zero_point,
        "input1_multiplier": m1,
        "input1_shift": sh1,
        "input2_offset": -input2_zero_point,
        "input2_multiplier": m2,
        "input2_shift": sh2,
        "left_shift": ADD_LEFT_SHIFT,
        "output_offset": output_zero_point,
        "output_multiplier": m_out,
        "output_shift": sh_out,
        "act_min": act_min,
        "act_max": act_max,
    }


SOFTMAX_SCALED_DIFF_INTEGER_BITS = 5


def softmax_params(beta: float, input_scale: float) -> tuple[int, int, int]:
    """(input_multiplier, input_left_shift, diff_min) for int8 SOFTMAX.

    PreprocessSoftmaxScaling (non-emulated float path) then
    diff_min = -CalculateInputRadius(5, left_shift, 31). beta is a float32
    builtin option, so it is rounded like the scales.
    """
    bits = SOFTMAX_SCALED_DIFF_INTEGER_BITS
    real = min(f32(beta) * f32(input_scale) * (1 << (31 - bits)), (1 << 31) - 1.0)
    assert real > 1.0, "QuantizeMultiplierGreaterThanOne aborts TFLM here"
    multiplier, left_shift = quantize_multiplier(real)
    assert left_shift >= 0
    radius = math.floor(((1 << bits) - 1) * (1 << (31 - bits)) / (1 << left_shift))
    return multiplier, left_shift, -radius


def requantize_params(
    input_scale: float, input_zero_point: int, output_scale: float, output_zero_point: int
) -> dict[str, int]:
    """The fields of trt_requantize_params_t (int8 -> int8 QUANTIZE)."""
    multiplier, shift = quantize_multiplier(f32(input_scale) / f32(output_scale))
    return {
        "input_offset": -input_zero_point,
        "multiplier": multiplier,
        "shift": shift,
        "output_offset": output_zero_point,
    }


def mul_params(
    input1_scale: float,
    input1_zero_point: int,
    input2_scale: float,
    input2_zero_point: int,
    output_scale: float,
    output_zero_point: int,
    activation: str = "NONE",
) -> dict[str, int]:
    """The fields of trt_mul_params_t (CalculateOpDataMul): the float32 scales
    widened to double, (s1 * s2) / s_out, then QuantizeMultiplier.

    The rescale may exceed 1 (a left shift). From 2**31 on TFLM's shift would
    be 32 or more, an undefined 1 << shift; tinyrt refuses such a model.
    """
    real = f32(input1_scale) * f32(input2_scale) / f32(output_scale)
    multiplier, shift = quantize_multiplier(real)
    if shift > 31:
        raise ValueError(f"MUL rescale {real!r} is 2**31 or more: no valid int32 shift")
    act_min, act_max = activation_range(activation, output_scale, output_zero_point)
    return {
        "input1_offset": -input1_zero_point,
        "input2_offset": -input2_zero_point,
        "output_offset": output_zero_point,
        "output_multiplier": multiplier,
        "output_shift": shift,
        "act_min": act_min,
        "act_max": act_max,
    }


def mean_axes(rank: int, axes: Sequence[int]) -> int:
    """trt_mean_params_t.axes: the reduced dims of a rank-`rank` tensor (negative
    counts from the end, duplicates allowed, as TFLM's ResolveAxis takes
    them) as a bitmask over its dims right-aligned into NHWC (bit 0 n .. bit 3 c)."""
    mask = 0
    for a in axes:
        if not -rank <= a < rank:
            raise ValueError(f"axis {a} outside rank {rank}")
        mask |= 1 << (4 - rank + a % rank)
    return mask


def mean_params(
    input_scale: float, input_zero_point: int, output_scale: float, output_zero_point: int, count: int
) -> dict[str, int]:
    """The requantization fields of trt_mean_params_t for a mean of `count`
    elements: PrepareMeanOrSum's QuantizeMultiplier(double(s_in) / double(s_out)),
    then reference_ops::QuantizedMeanOrSum's fold of 1 / count: with
    k = min(63 - clz64(count), 32, 31 + shift), multiplier = (multiplier << k) / count
    (int64, truncated) and shift -= k. The shift can exceed 31 for an input
    scale about 2**31 times the output's (TFLM's left shift would be undefined)."""
    if count < 1:
        raise ValueError(f"mean over {count} elements")
    multiplier, shift = quantize_multiplier(f32(input_scale) / f32(output_scale))
    k = min(count.bit_length() - 1, 32, 31 + shift)
    return {
        "input_offset": -input_zero_point,
        "output_offset": output_zero_point,
        "multiplier": (multiplier << k) // count,
        "shift": shift - k,
    }


def concat_input_requant(
    inputs: Sequence[tuple[float, int]], output_scale: float, output_zero_point: int
) -> list[dict[str, int]] | None:
    """ref.concat_s8's input_requant: None when every input (scale, zero point)
    is the output's, as TFLM requires (its Prepare compares the float32 scales
    and the zero points); else requantize_params per input (the `requant` of
    that input's trt_concat_s8 call), the identity for those already
    quantized like the output. Requantizing input i is TFLM's QUANTIZE(input i)
    to the output quantization."""
    same = [f32(s) == f32(output_scale) and zp == output_zero_point for s, zp in inputs]
    if all(same):
        return None
    return [requantize_params(s, zp, output_scale, output_zero_point) for s, zp in inputs]


def windowed_output(padding: str, in_size: int, filter_size: int, stride: int, dilation: int = 1) -> tuple[int, int]:
    """(output size, leading pad) as TFLM ComputePaddingHeightWidth computes them.

    The odd pixel of an asymmetric SAME padding goes to the trailing side;
    TFLM's reference kernels never read that offset.
    """
    effective = (filter_size - 1) * dilation + 1
    if padding == "SAME":
        out = (in_size + stride - 1) // stride
    elif padding == "VALID":
        # C division truncates: TRANSPOSE_CONV computes its padding from its
        # output size, which may be below the filter size.
        out = int((in_size + stride - effective) / stride)
    else:
        raise ValueError(f"unsupported padding {padding!r}")
    total = max((out - 1) * stride + effective - in_size, 0)
    return out, total // 2


def _c_div(a: int, b: int) -> int:
    """C integer division: truncates toward zero."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def resize_bilinear_table(in_size: int, out_size: int, align_corners: bool, half_pixel_centers: bool
                          ) -> list[tuple[int, int, int]]:
    """(lower, upper, weight in 1/1024) per output row or column: TFLM
    reference_ops::ResizeBilinearInteger's scale_10 and
    ComputeInterpolationValuesInteger, in C integer arithmetic. `lower` is
    not clamped above (TFLM does not clamp it): the caller checks the range."""
    scale = _c_div((1 << 10) * in_size + out_size // 2, out_size)
    if align_corners and out_size > 1:
        scale = _c_div((1 << 10) * (in_size - 1) + (out_size - 1) // 2, out_size - 1)
    rows = []
    for v in range(out_size):
        scaled = v * scale + _c_div(scale, 2) - (1 << 9) if half_pixel_centers else v * scale
        lower = max(_c_div(scaled, 1 << 10), 0)
        upper = min(_c_div(scaled + (1 << 10) - 1, 1 << 10), in_size - 1)
        rows.append((lower, upper, scaled - (1 << 10) * lower))
    return rows


def resize_nearest_table(in_size: int, out_size: int, align_corners: bool, half_pixel_centers: bool
                         ) -> list[tuple[int, int, int]]:
    """(source, source, 0) per output row or column: TFLM
    reference_ops::GetNearestNeighbor, its float32 math evaluated here."""
    f = np.float32
    if align_corners and out_size > 1:
        scale = f(in_size - 1) / f(out_size - 1)
    else:
        scale = f(in_size) / f(out_size)
    offset = f(0.5) if half_pixel_centers else f(0.0)
    rows = []
    for v in range(out_size):
        scaled = float((f(v) + offset) * scale)
        src = int(round_half_away(scaled)) if align_corners else math.floor(scaled)
        src = min(src, in_size - 1)
        if half_pixel_centers:
            src = max(0, src)
        rows.append((src, src, 0))
    return rows


# --- int8 -> int8 unary functions (run as a LUT) ---------------------------
# Each returns the parameters TFLM's Prepare computes for the op, the keyword
# arguments of the matching tinyrt.ref function.

def relu_params(input_scale: float, input_zero_point: int, output_scale: float,
                output_zero_point: int) -> dict[str, int]:
    """RELU (activations_common.cc CalculateReluOpData): QuantizeMultiplier of
    double(s_in) / double(s_out); act_min the output zero point, act_max 127."""
    multiplier, shift = quantize_multiplier(f32(input_scale) / f32(output_scale))
    return {"input_offset": input_zero_point, "output_offset": output_zero_point, "multiplier": multiplier,
            "shift": shift, "act_min": max(INT8_MIN, output_zero_point), "act_max": INT8_MAX}


def relu6_params(input_scale: float, input_zero_point: int) -> dict[str, int]:
    """RELU6 (Relu6Prepare): the input's zero and six, in the input's
    quantization. FloatToQuantizedType<int8_t>(6) rounds 6 / scale in
    float32, as an activation bound does, then clamps to int8 (its float32
    add of the zero point is exact wherever the clamp does not decide)."""
    six = _quantize_activation_bound(6.0, input_scale, input_zero_point)
    return {"lower": input_zero_point, "upper": min(max(six, INT8_MIN), INT8_MAX)}


def leaky_relu_params(input_scale: float, input_zero_point: int, output_scale: float, output_zero_point: int,
                      alpha: float) -> dict[str, int]:
    """LEAKY_RELU (CalculateOpDataLeakyRelu): the alpha multiplier s_in * alpha
    / s_out and the identity multiplier s_in / s_out, each in float32, then
    widened to double for QuantizeMultiplier."""
    s_in, s_out, a = np.float32(input_scale), np.float32(output_scale), np.float32(alpha)
    with np.errstate(over="ignore", under="ignore"):
        m_alpha, sh_alpha = quantize_multiplier(float(np.float32(s_in * a) / s_out))
        m_id, sh_id = quantize_multiplier(float(s_in / s_out))
    return {"input_zero_point": input_zero_point, "output_zero_point": output_zero_point,
            "multiplier_identity": m_id, "shift_identity": sh_id, "multiplier_alpha": m_alpha,
            "shift_alpha": sh_alpha}


SIGMOID_INPUT_INTEGER_BITS = 4


def sigmoid_params(input_scale: float, input_zero_point: int) -> dict[str, int]:
    """LOGISTIC and TANH, int8 (CalculateArithmeticOpDataLogistic, tanh.cc
    CalculateArithmeticOpData): frexp of double(s_in) * 2^27 rounded to a Q31
    multiplier with its exponent as left shift; the input radius beyond which
    the output saturates (CalculateInputRadius(4, left_shift, 31))."""
    bits = SIGMOID_INPUT_INTEGER_BITS
    q, left_shift = math.frexp(f32(input_scale) * (1 << (31 - bits)))
    multiplier = int(round_half_away(q * (1 << 31)))
    radius = math.floor(((1 << bits) - 1) * (1 << (31 - bits)) / 2.0**left_shift)
    return {"input_zero_point": input_zero_point, "input_range_radius": radius, "input_multiplier": multiplier,
            "input_left_shift": left_shift}


INT16_MAX = 2**15 - 1


def _downscale_to_int16(multiplier: int) -> int:
    """DownScaleInt32ToInt16Multiplier."""
    return INT16_MAX if multiplier >= INT32_MAX - (1 << 15) else (multiplier + (1 << 15)) >> 16


def hard_swish_params(input_scale: float, input_zero_point: int, output_scale: float,
                      output_zero_point: int) -> dict[str, int]:
    """HARD_SWISH (HardSwishPrepare): hires input scale s_in / 128 and the
    reluish scale 3 / 32768 in float32; both multipliers through
    QuantizeMultiplier, then down to int16. TFLM requires the output
    exponent <= 0."""
    s_in, s_out = np.float32(input_scale), np.float32(output_scale)
    hires = np.float32(np.float32(1.0 / 128.0) * s_in)
    reluish_scale = np.float32(np.float32(3.0) / np.float32(32768.0))
    with np.errstate(over="ignore"):
        m_out, e_out = quantize_multiplier(float(hires / s_out))
        if e_out > 0:
            raise ValueError(f"output multiplier exponent {e_out} > 0 (input scale / output scale >= 128)")
        m_relu, e_relu = quantize_multiplier(float(hires / reluish_scale))
    return {"input_zero_point": input_zero_point, "output_zero_point": output_zero_point,
            "output_multiplier_fixedpoint_int16": _downscale_to_int16(m_out), "output_multiplier_exponent": e_out,
            "reluish_multiplier_fixedpoint_int16": _downscale_to_int16(m_relu),
            "reluish_multiplier_exponent": e_relu}


def abs_params(input_scale: float, input_zero_point: int, output_scale: float,
               output_zero_point: int) -> dict[str, int]:
    """ABS (PrepareAbsRsqrt): rescale only when the float32 scales differ."""
    needs_rescale = f32(input_scale) != f32(output_scale)
    multiplier, shift = quantize_multiplier(f32(input_scale) / f32(output_scale)) if needs_rescale else (0, 0)
    return {"input_offset": input_zero_point, "output_offset": output_zero_point,
            "needs_rescale": int(needs_rescale), "multiplier": multiplier, "shift": shift}


RSQRT_SHIFT = 20  # RsqrtEvalQuantized's kShift


def rsqrt_params(input_scale: float, input_zero_point: int, output_scale: float,
                 output_zero_point: int) -> dict[str, int]:
    """RSQRT (SetRsqrtOutputMultiplier): QuantizeMultiplier of
    1 / (sqrt(double(s_in)) * double(s_out))."""
    multiplier, shift = quantize_multiplier(1.0 / (math.sqrt(f32(input_scale)) * f32(output_scale)))
    return {"input_offset": input_zero_point, "output_offset": output_zero_point, "multiplier": multiplier,
            "shift": shift}


def elu_params(input_scale: float, input_zero_point: int, output_scale: float,
               output_zero_point: int) -> dict[str, int]:
    """ELU: TFLM builds its table in float32 from the scales themselves."""
    return {"input_scale_bits": f32_bits(input_scale), "input_zero_point": input_zero_point,
            "output_scale_bits": f32_bits(output_scale), "output_zero_point": output_zero_point}


def exp_params(input_scale: float, input_zero_point: int, output_scale: float,
               output_zero_point: int) -> dict[str, int]:
    """EXP (LiteRT exp.cc Prepare, LUTPopulate<int8_t>): its table in float32
    from the scales themselves, as ELU's."""
    return elu_params(input_scale, input_zero_point, output_scale, output_zero_point)


def relu_n1_to_1_params(input_scale: float, input_zero_point: int, output_scale: float,
                        output_zero_point: int) -> dict[str, int]:
    """RELU_N1_TO_1 (LiteRT activations.cc ReluPrepare + QuantizedReluX(-1,
    1)): QuantizeMultiplier of s_in / s_out divided in float32 (the scales
    are floats; only the quotient is widened to double, unlike TFLM's RELU),
    and -1, 1 in the output's quantization (roundf of the float32 quotient,
    plus the zero point) clamped to int8: relu_s8's fields."""
    with np.errstate(over="ignore", under="ignore"):
        multiplier, shift = quantize_multiplier(float(np.float32(input_scale) / np.float32(output_scale)))
    return {"input_offset": input_zero_point, "output_offset": output_zero_point, "multiplier": multiplier,
            "shift": shift, "act_min": max(INT8_MIN, _quantize_activation_bound(-1.0, output_scale, output_zero_point)),
            "act_max": min(INT8_MAX, _quantize_activation_bound(1.0, output_scale, output_zero_point))}


def prelu_params(input_scale: float, input_zero_point: int, alpha_scale: float, alpha_zero_point: int,
                 output_scale: float, output_zero_point: int) -> dict[str, int]:
    """The fields of trt_prelu_params_t (CalculatePreluParams): double
    s_in / s_out and s_in * s_alpha / s_out through QuantizeMultiplier."""
    s_in, s_a, s_out = f32(input_scale), f32(alpha_scale), f32(output_scale)
    m1, sh1 = quantize_multiplier(s_in / s_out)
    m2, sh2 = quantize_multiplier(s_in * s_a / s_out)
    return {"input_offset": -input_zero_point, "alpha_offset": -alpha_zero_point, "output_offset": output_zero_point,
            "output_multiplier_1": m1, "output_shift_1": sh1, "output_multiplier_2": m2, "output_shift_2": sh2}


SQUARED_DIFFERENCE_LEFT_SHIFT = 7


def squared_difference_params(input1_scale: float, input1_zero_point: int, input2_scale: float,
                              input2_zero_point: int, output_scale: float, output_zero_point: int) -> dict[str, int]:
    """trt_add_params_t fields of SQUARED_DIFFERENCE (squared_difference.cc
    PrepareQuantized): ADD's input multipliers with left shift 7, the output
    multiplier (2 max(s1, s2))^2 / (2^14 * s_out) through QuantizeMultiplier
    (it may exceed 1); no activation."""
    s_out = f32(output_scale)
    twice_max, (m1, sh1), (m2, sh2) = _add_input_multipliers(input1_scale, input2_scale)
    # (1 << 14) * s_out is a float32 product in TFLM; a power of two times a
    # float32 is exact unless it overflows.
    denominator = float(np.float32(np.float32(1 << (2 * SQUARED_DIFFERENCE_LEFT_SHIFT)) * np.float32(s_out)))
    m_out, sh_out = quantize_multiplier(twice_max * twice_max / denominator)
    return {
        "input1_offset": -input1_zero_point, "input1_multiplier": m1, "input1_shift": sh1,
        "input2_offset": -input2_zero_point, "input2_multiplier": m2, "input2_shift": sh2,
        "left_shift": SQUARED_DIFFERENCE_LEFT_SHIFT, "output_offset": output_zero_point,
        "output_multiplier": m_out, "output_shift": sh_out, "act_min": INT8_MIN, "act_max": INT8_MAX,
    }
