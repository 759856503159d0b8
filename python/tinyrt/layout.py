"""Offline weight layouts of the optimized kernels: the order their inner
loops read. Each layout keeps the tensor's shape and size (the loader checks
the filter's dims as for the reference kernel); `*_inverse` restores the
.tflite order (the numpy references of the variants compute from it)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.generic]


def dwconv_dsp_filter(w: Array, depth_multiplier: int) -> Array:
    """DEPTHWISE_CONV_2D filter [1, KH, KW, C * dm] for kernels/arm_dsp
    (dwconv_s8_dsp.h): per multiplier m, per group of four input channels,
    each tap's four weights of output channels (4g + k) * dm + m; the last
    C % 4 channels n bytes per tap."""
    _, kh, kw, cout = w.shape
    dm = depth_multiplier
    c, taps = cout // dm, kh * kw
    by_m = w.reshape(taps, c, dm)  # output channel ic * dm + m
    full = c // 4 * 4
    parts = []
    for m in range(dm):
        f = by_m[:, :, m]
        parts.append(f[:, :full].reshape(taps, full // 4, 4).transpose(1, 0, 2).reshape(-1))
        parts.append(f[:, full:].reshape(-1))
    return np.concatenate(parts).reshape(w.shape)


def fc_dsp_filter(w: Array) -> Array:
    """FULLY_CONNECTED filter [Cout, Cin] for kernels/arm_dsp (fc_s8_dsp.c):
    units in groups of four, their words of four inputs interleaved, then
    their last Cin % 4 weights row after row; the last Cout % 4 rows as they
    are."""
    cout, cin = w.shape
    rows, blocks = cout // 4 * 4, cin // 4 * 4
    parts = []
    for r in range(0, rows, 4):
        g = w[r : r + 4]
        parts.append(g[:, :blocks].reshape(4, blocks // 4, 4).transpose(1, 0, 2).reshape(-1))
        parts.append(g[:, blocks:].reshape(-1))
    parts.append(w[rows:].reshape(-1))
    return np.concatenate(parts).reshape(w.shape)


def inverse(layout: Callable[[Array], Array], packed: Array) -> Array:
    """The array whose layout is `packed` (a layout is a permutation)."""
    perm = layout(np.arange(packed.size).reshape(packed.shape)).reshape(-1)
    out = np.empty_like(packed).reshape(-1)
    out[perm] = packed.reshape(-1)
    return out.reshape(packed.shape)


__all__ = ["dwconv_dsp_filter", "fc_dsp_filter", "inverse"]
