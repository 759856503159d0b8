"""Reference reductions besides MEAN/SUM (elementwise.mean_s8): REDUCE_MAX,
REDUCE_MIN (TFLM reference_ops::ReduceGeneric on the raw int8 values) and
ARG_MAX, ARG_MIN (reference_ops::ArgMinMax: the first of equal extremes)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

S8 = NDArray[np.int8]


def _reduced(x: np.ndarray, axes: int) -> tuple[int, ...]:
    """The dims of x set in `axes` (bit 0 n .. bit 3 c of the dims right-aligned into NHWC)."""
    return tuple(a for a in range(x.ndim) if axes >> (4 - x.ndim + a) & 1)


def reduce_max_s8(input: S8, *, axes: int, keep_dims: bool = True) -> S8:
    x = np.asarray(input, np.int8)
    return np.asarray(x.max(axis=_reduced(x, axes), keepdims=keep_dims), np.int8)


def reduce_min_s8(input: S8, *, axes: int, keep_dims: bool = True) -> S8:
    x = np.asarray(input, np.int8)
    return np.asarray(x.min(axis=_reduced(x, axes), keepdims=keep_dims), np.int8)


def _arg(x: np.ndarray, axis: int, int64_output: int, largest: bool) -> np.ndarray:
    # numpy's argmax/argmin return the first occurrence, as TFLM's strict compare does.
    a = np.asarray(x, np.int8)
    dim = axis - (4 - a.ndim)
    index = a.argmax(axis=dim) if largest else a.argmin(axis=dim)
    # A rank-1 input gives one index: a [1] tensor, as tinyrt holds scalars.
    return np.asarray(index, np.int64 if int64_output else np.int32).reshape(np.shape(index) or (1,))


def arg_max_s8(input: S8, *, axis: int, int64_output: int) -> np.ndarray:
    """ARG_MAX along NHWC dim `axis` (0 n .. 3 c, dims right-aligned)."""
    return _arg(input, axis, int64_output, True)


def arg_min_s8(input: S8, *, axis: int, int64_output: int) -> np.ndarray:
    return _arg(input, axis, int64_output, False)
