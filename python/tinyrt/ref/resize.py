"""Reference resize: RESIZE_BILINEAR and RESIZE_NEAREST_NEIGHBOR through
one table of source rows, columns and 1/1024 weights (quant.resize_*_table),
TFLM reference_ops::ResizeBilinearInteger's arithmetic."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

S8 = NDArray[np.int8]


def resize_s8(input: S8, table: NDArray[np.int32], *, out_h: int) -> S8:
    """input [N, H, W, C]; table [out_h + out_w, 3] of (lower, upper, weight):
    the out_h output rows first, then the output columns."""
    x = np.asarray(input).astype(np.int64)
    t = np.asarray(table, np.int64).reshape(-1, 3)
    ty, tx = t[:out_h], t[out_h:]
    one = 1 << 10
    wy = ty[:, 2][None, :, None, None]
    wx = tx[:, 2][None, None, :, None]
    r0, r1 = x[:, ty[:, 0]], x[:, ty[:, 1]]
    acc = (r0[:, :, tx[:, 0]] * (one - wy) * (one - wx) + r1[:, :, tx[:, 0]] * wy * (one - wx)
           + r0[:, :, tx[:, 1]] * (one - wy) * wx + r1[:, :, tx[:, 1]] * wy * wx)
    rounded = acc + np.where(acc > 0, 1 << 19, -(1 << 19))
    # C division truncates toward zero.
    out = np.sign(rounded) * (np.abs(rounded) >> 20)
    return out.astype(np.int8)
