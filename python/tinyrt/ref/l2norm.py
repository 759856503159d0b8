"""Reference L2_NORMALIZATION: TFLM reference_integer_ops::L2Normalization
with GetInvSqrtQuantizedMultiplierExp (gemmlowp fixed point, reverse shift -1)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from .fixedpoint import (
    INT32_MAX,
    count_leading_zeros32,
    i64,
    mul_by_quantized_multiplier,
    rounding_divide_by_pot,
    saturating_rounding_mul_by_pot,
    srdhm,
    wrap32,
)

S8 = NDArray[np.int8]


def inv_sqrt_quantized_multiplier_exp(acc: int) -> tuple[int, int]:
    """(multiplier, shift) with shift a left shift (<= 0): 1 / sqrt(acc)."""
    if acc <= 1:
        return INT32_MAX, 0
    shift = 11
    while acc >= 1 << 29:
        acc //= 4
        shift += 1
    pairs = (int(count_leading_zeros32(i64(acc))) - 1) // 2 - 1
    shift -= pairs
    acc <<= 2 * pairs
    half_input = int(rounding_divide_by_pot(acc >> 1, 1))
    half_three = (1 << 28) + (1 << 27)
    x = 1 << 28  # 1.0 in Q3.28
    for _ in range(5):
        x3 = int(saturating_rounding_mul_by_pot(srdhm(srdhm(x, x), x), 6))
        x = int(saturating_rounding_mul_by_pot(wrap32(int(srdhm(half_three, x)) - int(srdhm(half_input, x3))), 3))
    x = int(srdhm(x, 1518500250))
    if shift < 0:
        x = int(wrap32(x << -shift))
        shift = 0
    return x, -shift


def l2norm_s8(input: S8, *, input_offset: int) -> S8:
    """Along the last dim; output scale 1/128, zero point 0."""
    x = i64(np.asarray(input)) + input_offset
    rows = x.reshape(-1, x.shape[-1]) if x.ndim else x.reshape(1, 1)
    out = np.empty(rows.shape, np.int64)
    for k, row in enumerate(rows):
        multiplier, shift = inv_sqrt_quantized_multiplier_exp(int(wrap32((row * row).sum())))
        out[k] = mul_by_quantized_multiplier(row, multiplier, shift + 7)
    return np.clip(out, -128, 127).astype(np.int8).reshape(np.shape(input))
