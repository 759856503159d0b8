"""Reference convolution, fully-connected and pooling kernels (NHWC int8).

Each mirrors its C kernel in kernels/include/tinyrt/kernels.h and TFLM's
reference_integer_ops kernel: int32 accumulation, padding pixels skipped,
MultiplyByQuantizedMultiplier requantization, clamping to [act_min, act_max].
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from numpy.typing import NDArray

from ..layout import dwconv_dsp_filter, fc_dsp_filter, inverse
from .fixedpoint import I64, i64, mul_by_quantized_multiplier, trunc_div, wrap32

S8 = NDArray[np.int8]
S32 = NDArray[np.int32]


def _requantize(acc: I64, multiplier: S32, shift: S32, output_offset: int, act_min: int, act_max: int) -> S8:
    """Requantize an accumulator whose last axis is the output channel;
    multiplier/shift have one entry per channel or a single one."""
    scaled = mul_by_quantized_multiplier(wrap32(acc), i64(multiplier), i64(shift))
    return np.clip(scaled + output_offset, act_min, act_max).astype(np.int8)


def _taps(
    x: I64,
    kh: int,
    kw: int,
    fill: int,
    *,
    stride_h: int,
    stride_w: int,
    dilation_h: int,
    dilation_w: int,
    pad_top: int,
    pad_left: int,
    out_h: int,
    out_w: int,
) -> Iterator[tuple[int, int, I64]]:
    """Yield (ky, kx, tap) where tap[n, oy, ox, c] is the input value filter
    tap (ky, kx) reads for output pixel (oy, ox), or `fill` outside the image.
    Vectorized over pixels; callers loop over the few taps."""
    n, h, w, c = x.shape
    bottom = max(0, (out_h - 1) * stride_h + (kh - 1) * dilation_h - pad_top - (h - 1))
    right = max(0, (out_w - 1) * stride_w + (kw - 1) * dilation_w - pad_left - (w - 1))
    padded = np.full((n, pad_top + h + bottom, pad_left + w + right, c), fill, dtype=np.int64)
    padded[:, pad_top : pad_top + h, pad_left : pad_left + w, :] = x
    for ky in range(kh):
        y0 = ky * dilation_h
        rows = slice(y0, y0 + (out_h - 1) * stride_h + 1, stride_h)
        for kx in range(kw):
            x0 = kx * dilation_w
            cols = slice(x0, x0 + (out_w - 1) * stride_w + 1, stride_w)
            yield ky, kx, padded[:, rows, cols]


def conv_s8(
    input: S8,
    filter: S8,
    bias: S32 | None,
    multiplier: S32,
    shift: S32,
    *,
    stride_h: int,
    stride_w: int,
    dilation_h: int,
    dilation_w: int,
    pad_top: int,
    pad_left: int,
    input_offset: int,
    output_offset: int,
    act_min: int,
    act_max: int,
    depth_multiplier: int = 1,
    out_h: int,
    out_w: int,
    folded: bool = False,
) -> S8:
    """CONV_2D: input [N, H, W, Cin], filter [Cout, KH, KW, Cin] -> [N, out_h, out_w, Cout].

    depth_multiplier is a trt_conv_params_t field that plain conv ignores.
    folded: the arm_dsp variants' contract (kernels.h): the bias
    holds input_offset * sum(filter) for every tap, the taps read raw input
    and padding holds the input zero point.
    """
    cout, kh, kw, _ = filter.shape
    f = i64(filter)
    acc = np.zeros((input.shape[0], out_h, out_w, cout), dtype=np.int64)
    # Padding pixels contribute nothing, so pad (x + input_offset) with zeros
    # (or, folded, x with the zero point).
    shifted = i64(input) if folded else i64(input) + input_offset
    for ky, kx, tap in _taps(
        shifted, kh, kw, -input_offset if folded else 0,
        stride_h=stride_h, stride_w=stride_w, dilation_h=dilation_h, dilation_w=dilation_w,
        pad_top=pad_top, pad_left=pad_left, out_h=out_h, out_w=out_w,
    ):  # fmt: skip
        acc += tap @ f[:, ky, kx, :].T
    if bias is not None:
        acc += i64(bias)
    return _requantize(acc, multiplier, shift, output_offset, act_min, act_max)


def tconv_s8(
    input: S8,
    filter: S8,
    bias: S32 | None,
    multiplier: S32,
    shift: S32,
    *,
    stride_h: int,
    stride_w: int,
    pad_top: int,
    pad_left: int,
    input_offset: int,
    output_offset: int,
    act_min: int,
    act_max: int,
    out_h: int,
    out_w: int,
) -> S8:
    """TRANSPOSE_CONV: input [N, H, W, Cin], filter [Cout, KH, KW, Cin] ->
    [N, out_h, out_w, Cout]. Input pixel (iy, ix) adds its products with tap
    (ky, kx) to output pixel (iy * stride_h - pad_top + ky, ix * stride_w -
    pad_left + kx) when that lies inside the output (TFLM's scatter)."""
    n, h, w, _ = input.shape
    cout, kh, kw, _ = filter.shape
    f = i64(filter)
    shifted = i64(input) + input_offset
    acc = np.zeros((n, out_h, out_w, cout), dtype=np.int64)
    for ky in range(kh):
        oy = np.arange(h) * stride_h - pad_top + ky
        rows = (oy >= 0) & (oy < out_h)
        for kx in range(kw):
            ox = np.arange(w) * stride_w - pad_left + kx
            cols = (ox >= 0) & (ox < out_w)
            if not rows.any() or not cols.any():
                continue
            # For one tap the landing pixels are distinct, so += cannot collide.
            part = shifted[:, rows][:, :, cols] @ f[:, ky, kx, :].T
            acc[:, oy[rows][:, None], ox[cols][None, :], :] += part
    if bias is not None:
        acc += i64(bias)
    return _requantize(acc, multiplier, shift, output_offset, act_min, act_max)


def dwconv_s8(
    input: S8,
    filter: S8,
    bias: S32 | None,
    multiplier: S32,
    shift: S32,
    *,
    stride_h: int,
    stride_w: int,
    dilation_h: int,
    dilation_w: int,
    pad_top: int,
    pad_left: int,
    input_offset: int,
    output_offset: int,
    act_min: int,
    act_max: int,
    depth_multiplier: int = 1,
    out_h: int,
    out_w: int,
    folded: bool = False,
) -> S8:
    """DEPTHWISE_CONV_2D: input [N, H, W, Cin], filter [1, KH, KW, Cin * depth_multiplier]
    -> [N, out_h, out_w, Cin * depth_multiplier]; output channel
    ic * depth_multiplier + m reads input channel ic. `folded` as for conv_s8."""
    _, kh, kw, cout = filter.shape
    f = i64(filter)
    acc = np.zeros((input.shape[0], out_h, out_w, cout), dtype=np.int64)
    shifted = np.repeat(i64(input) if folded else i64(input) + input_offset, depth_multiplier, axis=3)
    for ky, kx, tap in _taps(
        shifted, kh, kw, -input_offset if folded else 0,
        stride_h=stride_h, stride_w=stride_w, dilation_h=dilation_h, dilation_w=dilation_w,
        pad_top=pad_top, pad_left=pad_left, out_h=out_h, out_w=out_w,
    ):  # fmt: skip
        acc += tap * f[0, ky, kx, :]
    if bias is not None:
        acc += i64(bias)
    return _requantize(acc, multiplier, shift, output_offset, act_min, act_max)


def dwconv_s8_dsp(input: S8, filter: S8, bias: S32, multiplier: S32, shift: S32, *, depth_multiplier: int = 1,
                  **params: int) -> S8:
    """DEPTHWISE_CONV_2D, the DSP variants' arithmetic (kernels/arm_dsp):
    filter in layout.dwconv_dsp_filter's order, the input offset folded
    into the bias for every tap (conv_s8's `folded`)."""
    w = inverse(lambda x: dwconv_dsp_filter(x, depth_multiplier), filter)
    return dwconv_s8(input, w, bias, multiplier, shift, depth_multiplier=depth_multiplier, folded=True, **params)


def dwconv_s8_inplace(
    input: S8,
    filter: S8,
    bias: S32 | None,
    multiplier: S32,
    shift: S32,
    *,
    stride_h: int,
    stride_w: int,
    dilation_h: int,
    dilation_w: int,
    pad_top: int,
    pad_left: int,
    input_offset: int,
    output_offset: int,
    act_min: int,
    act_max: int,
    depth_multiplier: int = 1,
    out_h: int,
    out_w: int,
) -> S8:
    """dwconv_s8 computed the way trt_dwconv_s8_inplace aliases its buffer.

    One flat buffer holds the input. Channel by channel, the output plane is
    computed into scratch, then stored at that channel's NHWC output
    positions p * C + c (p: flat output pixel). Those bytes are channel c of
    input pixel p: only output channel c (depth multiplier 1) reads them, and
    it has just finished. The output is never larger than the input, so it
    overwrites the input without clobbering anything still needed.
    """
    assert depth_multiplier == 1, "in-place depthwise needs depth multiplier 1"
    n, h, w, c = input.shape
    data = input.reshape(-1).copy()
    out_size = n * out_h * out_w * c
    per_channel = len(multiplier) > 1
    for ch in range(c):
        # Read the live buffer, already overwritten for channels < ch.
        plane = dwconv_s8(
            data.reshape(n, h, w, c)[..., ch : ch + 1],
            filter[..., ch : ch + 1],
            None if bias is None else bias[ch : ch + 1],
            multiplier[ch : ch + 1] if per_channel else multiplier,
            shift[ch : ch + 1] if per_channel else shift,
            stride_h=stride_h, stride_w=stride_w, dilation_h=dilation_h, dilation_w=dilation_w,
            pad_top=pad_top, pad_left=pad_left, input_offset=input_offset,
            output_offset=output_offset, act_min=act_min, act_max=act_max,
            out_h=out_h, out_w=out_w,
        )  # fmt: skip
        data[ch:out_size:c] = plane.reshape(-1)
    return data[:out_size].reshape(n, out_h, out_w, c)


def conv1x1_s8_inplace(
    input: S8,
    filter: S8,
    bias: S32 | None,
    multiplier: S32,
    shift: S32,
    *,
    stride_h: int,
    stride_w: int,
    dilation_h: int,
    dilation_w: int,
    pad_top: int,
    pad_left: int,
    input_offset: int,
    output_offset: int,
    act_min: int,
    act_max: int,
    depth_multiplier: int = 1,
    out_h: int,
    out_w: int,
) -> S8:
    """conv_s8 with a 1x1 filter computed the way trt_conv1x1_s8_inplace
    aliases its buffer.

    One flat buffer holds the input. Pixel by pixel, the Cout output values
    are computed from the live buffer into scratch, then stored at
    [p * Cout, (p + 1) * Cout). With Cout <= Cin that only overwrites input
    pixels <= p, all consumed; if the aliasing were wrong, a later pixel
    would read clobbered bytes and differ from conv_s8.
    """
    n, h, w, cin = input.shape
    cout = filter.shape[0]
    assert filter.shape[1:] == (1, 1, cin) and (stride_h, stride_w, pad_top, pad_left) == (1, 1, 0, 0)
    assert (out_h, out_w) == (h, w) and cout <= cin, "in-place 1x1 conv needs the same image and Cout <= Cin"
    data = input.reshape(-1).copy()
    f = i64(filter).reshape(cout, cin).T
    b = np.zeros(cout, np.int64) if bias is None else i64(bias)
    for p in range(n * h * w):
        acc = (i64(data[p * cin : (p + 1) * cin]) + input_offset) @ f + b
        data[p * cout : (p + 1) * cout] = _requantize(acc, multiplier, shift, output_offset, act_min, act_max)
    return data[: n * h * w * cout].reshape(n, h, w, cout)


def fc_s8(
    input: S8,
    filter: S8,
    bias: S32 | None,
    multiplier: S32,
    shift: S32,
    *,
    input_offset: int,
    output_offset: int,
    act_min: int,
    act_max: int,
) -> S8:
    """FULLY_CONNECTED: input [N, Cin] (or any shape of rows of Cin),
    filter [Cout, Cin] -> [N, Cout]."""
    _, cin = filter.shape
    acc = (i64(input).reshape(-1, cin) + input_offset) @ i64(filter).T
    if bias is not None:
        acc += i64(bias)
    return _requantize(acc, multiplier, shift, output_offset, act_min, act_max)


def fc_s8_dsp(
    input: S8,
    filter: S8,
    bias: S32,
    multiplier: S32,
    shift: S32,
    *,
    input_offset: int,
    output_offset: int,
    act_min: int,
    act_max: int,
) -> S8:
    """FULLY_CONNECTED, the DSP variant (kernels/arm_dsp): filter in
    layout.fc_dsp_filter's order, the input offset folded into the bias."""
    return fc_s8(input, inverse(fc_dsp_filter, filter), bias, multiplier, shift, input_offset=input_offset,
                 output_offset=output_offset, act_min=act_min, act_max=act_max)


def _pool_sum_and_max(
    input: S8,
    *,
    stride_h: int,
    stride_w: int,
    filter_h: int,
    filter_w: int,
    pad_top: int,
    pad_left: int,
    out_h: int,
    out_w: int,
) -> tuple[I64, I64, I64]:
    """(sum, in-image count, max) of each window's in-image part."""
    geometry = dict(
        stride_h=stride_h, stride_w=stride_w, dilation_h=1, dilation_w=1,
        pad_top=pad_top, pad_left=pad_left, out_h=out_h, out_w=out_w,
    )  # fmt: skip
    x = i64(input)
    total = sum(t for *_, t in _taps(x, filter_h, filter_w, 0, **geometry))
    count = sum(t for *_, t in _taps(np.ones_like(x), filter_h, filter_w, 0, **geometry))
    # -128 padding is neutral: TFLM's running max starts at int8 lowest.
    peak = np.maximum.reduce([t for *_, t in _taps(x, filter_h, filter_w, -128, **geometry)])
    return i64(total), i64(count), peak


def avgpool_s8(
    input: S8,
    *,
    stride_h: int,
    stride_w: int,
    filter_h: int,
    filter_w: int,
    pad_top: int,
    pad_left: int,
    act_min: int,
    act_max: int,
    out_h: int,
    out_w: int,
) -> S8:
    """AVERAGE_POOL_2D: mean of each window's in-image part, rounded half away
    from zero."""
    total, count, _ = _pool_sum_and_max(
        input, stride_h=stride_h, stride_w=stride_w, filter_h=filter_h, filter_w=filter_w,
        pad_top=pad_top, pad_left=pad_left, out_h=out_h, out_w=out_w,
    )  # fmt: skip
    half = count // 2
    avg = trunc_div(np.where(total > 0, total + half, total - half), count)
    return np.clip(avg, act_min, act_max).astype(np.int8)


def maxpool_s8(
    input: S8,
    *,
    stride_h: int,
    stride_w: int,
    filter_h: int,
    filter_w: int,
    pad_top: int,
    pad_left: int,
    act_min: int,
    act_max: int,
    out_h: int,
    out_w: int,
) -> S8:
    """MAX_POOL_2D: max of each window's in-image part."""
    _, _, peak = _pool_sum_and_max(
        input, stride_h=stride_h, stride_w=stride_w, filter_h=filter_h, filter_w=filter_w,
        pad_top=pad_top, pad_left=pad_left, out_h=out_h, out_w=out_w,
    )  # fmt: skip
    return np.clip(peak, act_min, act_max).astype(np.int8)
