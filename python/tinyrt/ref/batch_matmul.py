"""Reference BATCH_MATMUL: TFLM reference_ops::BatchMatMul<int8_t, int32_t>."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from .fixedpoint import i64, mul_by_quantized_multiplier

S8 = NDArray[np.int8]


def batch_matmul_s8(lhs: S8, rhs: S8, *, lhs_offset: int, rhs_offset: int, output_offset: int, multiplier: int,
                    shift: int, adj_x: int, adj_y: int) -> S8:
    """lhs [..., A, K] ([..., K, A] with adj_x) times rhs [..., K, C] ([..., C,
    K] with adj_y), batch dims broadcast; int32 sums of the offset products
    requantized as FULLY_CONNECTED does."""
    a = i64(lhs) + lhs_offset
    b = i64(rhs) + rhs_offset
    if adj_x:
        a = np.swapaxes(a, -1, -2)
    if adj_y:
        b = np.swapaxes(b, -1, -2)
    acc = np.matmul(a, b)  # the loader bounds the depth: no int32 wrap
    out = mul_by_quantized_multiplier(acc, multiplier, shift) + output_offset
    return np.clip(out, -128, 127).astype(np.int8)
