"""Reference data movement kernels: each TFLite op by its own definition in
numpy (np.pad, slicing, np.transpose, np.take, ...), independent of the
strided-copy pieces the converter lowers them to; and copy_s8, which runs
those pieces as the C runtime's COPY does (for the graph reference).
Bytes move unchanged whatever the quantization, as in TFLM."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from ..format import COPY_DIMS, COPY_PIECE

S8 = NDArray[np.int8]


def pad_s8(input: S8, paddings: np.ndarray, *, pad_value: int) -> S8:
    """PAD / PADV2: pad_value is the output zero point (PAD) or PADV2's
    constant (its raw int8 value)."""
    return np.pad(input, np.asarray(paddings).reshape(-1, 2), constant_values=pad_value).astype(np.int8)


def mirror_pad_s8(input: S8, paddings: np.ndarray, *, symmetric: bool) -> S8:
    return np.pad(input, np.asarray(paddings).reshape(-1, 2), mode="symmetric" if symmetric else "reflect")


def strided_slice_s8(input: S8, begin: np.ndarray, end: np.ndarray, strides: np.ndarray, *, begin_mask: int,
                     end_mask: int, shrink_axis_mask: int, offset: bool = False) -> S8:
    """STRIDED_SLICE as Python slicing (masks as open ends, shrunk axes as
    plain indices; offset: end counts from begin)."""
    index: list[int | slice] = []
    for k, (b, e, s) in enumerate(zip(begin.tolist(), end.tolist(), strides.tolist(), strict=True)):
        if shrink_axis_mask >> k & 1:
            index.append(b if not begin_mask >> k & 1 else (0 if s > 0 else -1))
            continue
        if offset:
            e = b + e
        index.append(slice(None if begin_mask >> k & 1 else b, None if end_mask >> k & 1 else e, s))
    return np.array(input[tuple(index)], np.int8)


def slice_s8(input: S8, begin: np.ndarray, size: np.ndarray) -> S8:
    index = tuple(slice(b, None if s == -1 else b + s) for b, s in zip(begin.tolist(), size.tolist(), strict=True))
    return np.ascontiguousarray(input[index])


def transpose_s8(input: S8, perm: np.ndarray) -> S8:
    return np.ascontiguousarray(np.transpose(input, [int(p) for p in perm]))


def pack_s8(*inputs: S8, axis: int) -> S8:
    return np.stack(inputs, axis=axis)


def unpack_s8(input: S8, *, axis: int) -> list[S8]:
    return [np.ascontiguousarray(part) for part in np.moveaxis(input, axis, 0)]


def gather_s8(input: S8, indices: np.ndarray, *, axis: int) -> S8:
    return np.take(input, indices.astype(np.int64), axis=axis)


def tile_s8(input: S8, multiples: np.ndarray) -> S8:
    return np.tile(input, [int(m) for m in multiples])


def depth_to_space_s8(input: S8, *, block: int) -> S8:
    n, h, w, d = input.shape
    c = d // (block * block)
    x = input.reshape(n, h, w, block, block, c).transpose(0, 1, 3, 2, 4, 5)
    return np.ascontiguousarray(x.reshape(n, h * block, w * block, c))


def space_to_depth_s8(input: S8, *, block: int) -> S8:
    n, h, w, c = input.shape
    x = input.reshape(n, h // block, block, w // block, block, c).transpose(0, 1, 3, 2, 4, 5)
    return np.ascontiguousarray(x.reshape(n, h // block, w // block, block * block * c))


def batch_to_space_nd_s8(input: S8, block: np.ndarray, crops: np.ndarray) -> S8:
    """TF's batch_to_space: batch (i * batch + n) holds the block offset i."""
    blk = [int(b) for b in block]
    m, batch = len(blk), input.shape[0] // int(np.prod(blk))
    x = input.reshape(*blk, batch, *input.shape[1:])
    # [b0..bm-1, n, s0..sm-1, rest] -> [n, s0, b0, s1, b1, ..., rest]
    order = [m] + [a for k in range(m) for a in (m + 1 + k, k)] + list(range(2 * m + 1, x.ndim))
    x = x.transpose(order).reshape(batch, *[input.shape[1 + k] * blk[k] for k in range(m)], *input.shape[1 + m:])
    c = np.asarray(crops).reshape(-1, 2)
    index = (slice(None), *[slice(int(lo), x.shape[1 + k] - int(hi)) for k, (lo, hi) in enumerate(c)])
    return np.ascontiguousarray(x[index])


def space_to_batch_nd_s8(input: S8, block: np.ndarray, paddings: np.ndarray, *, pad_value: int) -> S8:
    """TF's space_to_batch: the inverse over the padded input."""
    blk = [int(b) for b in block]
    m = len(blk)
    p = np.asarray(paddings).reshape(-1, 2)
    full = [(0, 0), *[(int(lo), int(hi)) for lo, hi in p], *[(0, 0)] * (input.ndim - 1 - m)]
    x = np.pad(input, full, constant_values=pad_value)
    n = x.shape[0]
    dims = [n]
    for k in range(m):
        dims += [x.shape[1 + k] // blk[k], blk[k]]
    x = x.reshape(*dims, *x.shape[1 + m:])
    # [n, s0, b0, s1, b1, ..., rest] -> [b0..bm-1, n, s0..sm-1, rest]
    order = [2 + 2 * k for k in range(m)] + [0] + [1 + 2 * k for k in range(m)] + list(range(1 + 2 * m, x.ndim))
    x = x.transpose(order)
    return np.ascontiguousarray(x.reshape(n * int(np.prod(blk)), *x.shape[m + 1:]).astype(np.int8))


def copy_s8(inputs: Sequence[S8], table: np.ndarray, out_shapes: Sequence[Sequence[int]], *, fill: int,
            fill_value: int) -> list[S8]:
    """COPY: the outputs filled (when `fill`), then each row of the pieces
    table copied (trt_copy_piece_t), in order."""
    outs = [np.full(int(np.prod(s)), fill_value if fill else 0, np.int8) for s in out_shapes]
    flat = [np.asarray(x).reshape(-1) for x in inputs]
    for row in np.asarray(table).reshape(-1, COPY_PIECE.size // 4):
        p = COPY_PIECE.unpack(np.asarray(row, "<i4").tobytes())
        grid = np.indices(p["count"]).reshape(COPY_DIMS, -1)  # type: ignore[arg-type]
        src = p["in_offset"] + np.asarray(p["in_stride"]) @ grid
        dst = p["out_offset"] + np.asarray(p["out_stride"]) @ grid
        outs[int(p["output"])][dst] = flat[int(p["input"])][src]  # type: ignore[arg-type]
    return [o.reshape(s) for o, s in zip(outs, out_shapes, strict=True)]


def copy_s8_inplace(input: S8, table: np.ndarray, out_shape: Sequence[int], *, fill: int, fill_value: int) -> S8:
    """COPY in place (trt_copy_s8_inplace), with its aliasing: one buffer of
    the output's size holding the input from its start, written back to
    front, row by row of the one piece (a row reads all it needs before it
    is written, as the kernel's descending order does since no element's
    output index is below its input index), the gaps above each row filled."""
    size = int(np.prod(out_shape))
    flat = np.asarray(input, np.int8).reshape(-1)
    buf = np.zeros(max(size, flat.size), np.int8)
    buf[: flat.size] = flat
    (row,) = np.asarray(table).reshape(-1, COPY_PIECE.size // 4)
    p = COPY_PIECE.unpack(np.asarray(row, "<i4").tobytes())
    count, si, so = list(p["count"]), np.asarray(p["in_stride"]), np.asarray(p["out_stride"])  # type: ignore[arg-type]
    end = size
    for outer in reversed(list(np.ndindex(*count[:-1]))):
        j = np.arange(count[-1])
        src = p["in_offset"] + int(np.dot(outer, si[:-1])) + j * si[-1]
        dst = p["out_offset"] + int(np.dot(outer, so[:-1])) + j * so[-1]
        values = buf[src]
        if fill:
            above = np.setdiff1d(np.arange(dst[0], end), dst)
            buf[above] = fill_value
        buf[dst] = values
        end = int(dst[0])
    if fill:
        buf[:end] = fill_value
    return buf[:size].reshape(out_shape)
