"""Data movement ops as strided copies, decided offline.

Every op here (PAD, PADV2, MIRROR_PAD, STRIDED_SLICE, SLICE, TRANSPOSE, PACK,
UNPACK, SPLIT_V, GATHER, TILE, DEPTH_TO_SPACE, SPACE_TO_DEPTH,
BATCH_TO_SPACE_ND, SPACE_TO_BATCH_ND) maps each output element to one input
element (or to a fill value) by a piecewise affine function of its index.
Each affine part is a loop nest of (count, input stride, output stride) in
elements; `pieces` simplifies it and writes the rows of COPY's pieces table
(format.COPY_PIECE, at most COPY_DIMS loop dims per row). The functions take
static shapes and constant parameters only and raise ValueError for what
TFLM would refuse.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .format import COPY_DIMS, COPY_PIECE

# Rank of the tensors a data movement op may take (the runtime's tensors
# have at most TRT_MAX_DIMS; the converter merges the leading dims of such a
# tensor, which only COPY and reshapes touch).
MAX_RANK = 6

Loop = tuple[int, int, int]  # count, input stride, output stride (elements)
Shape = tuple[int, ...]


def row_strides(shape: Sequence[int]) -> list[int]:
    """Row-major element strides of a shape."""
    out = [1] * len(shape)
    for k in range(len(shape) - 2, -1, -1):
        out[k] = out[k + 1] * shape[k + 1]
    return out


def _simplify(loops: Sequence[Loop]) -> list[Loop]:
    """Drop loops of one step and merge a loop into the next inner one where
    together they are one longer loop (the common contiguous case)."""
    kept = [lp for lp in loops if lp[0] != 1]
    merged: list[Loop] = []
    for count, si, so in kept:
        if merged:
            c0, si0, so0 = merged[-1]
            if si0 == count * si and so0 == count * so:
                merged[-1] = (c0 * count, si, so)
                continue
        merged.append((count, si, so))
    return merged


def pieces(loops: Sequence[Loop], in_offset: int = 0, out_offset: int = 0, input: int = 0,
           output: int = 0) -> list[list[int]]:
    """COPY pieces table rows for one loop nest (outermost first). A nest
    deeper than COPY_DIMS after simplification becomes one row per index of
    its outer loops."""
    nest = _simplify(loops) or [(1, 0, 0)]
    if len(nest) > COPY_DIMS:
        (count, si, so), rest = nest[0], nest[1:]
        return [row for i in range(count)
                for row in pieces(rest, in_offset + i * si, out_offset + i * so, input, output)]
    nest = [(1, 0, 0)] * (COPY_DIMS - len(nest)) + nest
    row = COPY_PIECE.pack(input=input, output=output, in_offset=in_offset, out_offset=out_offset,
                          count=[c for c, _, _ in nest], in_stride=[s for _, s, _ in nest],
                          out_stride=[s for _, _, s in nest])
    return [list(np.frombuffer(row, "<i4").tolist())]


def runs_in_place(row: Sequence[int]) -> bool:
    """Whether COPY's in-place kernel can take this piece (trt_copy_s8_inplace,
    the loader's inplace_order_ok): output indices rising with the box's
    row-major order, and no element's output index below its input index, so
    that written back to front over its own input nothing is overwritten
    before it is read. PAD's piece always can (its output strides are the
    larger ones, its offset the leading padding); MIRROR_PAD's mirrored runs
    read ahead of where they write, so it cannot."""
    p = COPY_PIECE.unpack(np.asarray(row, "<i4").tobytes())
    span, ahead = 0, int(p["out_offset"]) - int(p["in_offset"])
    for count, si, so in reversed(list(zip(p["count"], p["in_stride"], p["out_stride"], strict=True))):
        steps = int(count) - 1
        if steps > 0 and so <= span:
            return False
        span += steps * so
        ahead += min(0, steps * (so - si))
    return ahead >= 0


def table(rows: Sequence[Sequence[int]]) -> np.ndarray:
    """The pieces table as COPY's constant INT32 input."""
    return np.array(rows, np.int32).reshape(len(rows), COPY_PIECE.size // 4)


def _same_rank(in_shape: Shape, out_shape: Shape) -> None:
    if len(in_shape) != len(out_shape):
        raise ValueError(f"output rank {len(out_shape)} differs from input rank {len(in_shape)}")


def _check_out(want: Sequence[int], out_shape: Shape) -> None:
    if tuple(want) != tuple(out_shape):
        raise ValueError(f"the output shape should be {list(want)}")


# --- padding ---


def pad(in_shape: Shape, paddings: np.ndarray, out_shape: Shape) -> list[list[int]]:
    """PAD/PADV2: the input copied into its window of the output (the rest
    is the fill value)."""
    _same_rank(in_shape, out_shape)
    p = np.asarray(paddings, np.int64).reshape(-1)
    if p.size != 2 * len(in_shape):
        raise ValueError(f"paddings has {p.size} values; needs 2 per dim ({2 * len(in_shape)})")
    lo, hi = p[0::2], p[1::2]
    if (p < 0).any():
        raise ValueError("negative padding")
    _check_out([d + int(a) + int(b) for d, a, b in zip(in_shape, lo, hi, strict=True)], out_shape)
    si, so = row_strides(in_shape), row_strides(out_shape)
    offset = sum(int(a) * s for a, s in zip(lo, so, strict=True))
    return pieces(list(zip(in_shape, si, so, strict=True)), 0, offset)


def mirror_pad(in_shape: Shape, paddings: np.ndarray, symmetric: bool, out_shape: Shape) -> list[list[int]]:
    """MIRROR_PAD: per dim three runs (left mirror, the input, right mirror),
    the mirrored ones with a negative input stride; one piece per
    combination of runs. REFLECT leaves out the edge element, SYMMETRIC
    repeats it."""
    _same_rank(in_shape, out_shape)
    p = np.asarray(paddings, np.int64).reshape(-1)
    if p.size != 2 * len(in_shape):
        raise ValueError(f"paddings has {p.size} values; needs 2 per dim ({2 * len(in_shape)})")
    edge = 0 if symmetric else 1
    runs_per_dim: list[list[tuple[int, int, int, int]]] = []  # (out start, count, in start, in direction)
    for d, lo, hi in zip(in_shape, p[0::2].tolist(), p[1::2].tolist(), strict=True):
        if lo < 0 or hi < 0 or max(lo, hi) > d - edge:
            most = d - edge
            raise ValueError(f"padding {lo}, {hi} of a dim of {d}; supported: 0 to {most}")
        runs = [(0, lo, lo - 1 + edge, -1), (lo, d, 0, 1), (lo + d, hi, d - 1 - edge, -1)]
        runs_per_dim.append([r for r in runs if r[1] > 0])
    _check_out([d + int(a) + int(b) for d, a, b in zip(in_shape, p[0::2], p[1::2], strict=True)], out_shape)
    si, so = row_strides(in_shape), row_strides(out_shape)
    rows: list[list[int]] = []
    for combo in np.ndindex(*[len(r) for r in runs_per_dim]):
        chosen = [runs_per_dim[k][c] for k, c in enumerate(combo)]
        in_off = sum(r[2] * s for r, s in zip(chosen, si, strict=True))
        out_off = sum(r[0] * s for r, s in zip(chosen, so, strict=True))
        loops = [(r[1], r[3] * a, b) for r, a, b in zip(chosen, si, so, strict=True)]
        rows += pieces(loops, in_off, out_off)
    return rows


# --- slicing ---


def _clamp(v: int, lo: int, hi: int) -> int:
    return hi if v > hi else lo if v < lo else v


def strided_slice_axes(in_shape: Shape, begin: Sequence[int], end: Sequence[int], strides: Sequence[int],
                       begin_mask: int, end_mask: int, shrink_axis_mask: int,
                       offset: bool) -> list[tuple[int, int, int, bool]]:
    """Per input axis (start, count, stride, shrunk), by TFLite's
    StridedSliceStartForAxis / StridedSliceEndForAxis: negative indices count
    from the end, then clamp to [0, size] ([-1, size - 1] for a negative
    stride); a mask bit takes the whole axis in the stride's direction; a
    shrunk axis is the one element at its start. One value per axis."""
    if not len(begin) == len(end) == len(strides) == len(in_shape):
        raise ValueError(f"begin, end and strides must have {len(in_shape)} values each")
    axes = []
    for k, size in enumerate(in_shape):
        b, e, s = int(begin[k]), int(end[k]), int(strides[k])
        if s == 0:
            raise ValueError(f"stride 0 on axis {k}")
        start = b + size if b < 0 else b
        start = _clamp(start, 0, size) if s > 0 else _clamp(start, -1, size - 1)
        if begin_mask >> k & 1:
            start = 0 if s > 0 else size - 1
        if shrink_axis_mask >> k & 1:
            stop = start if start >= size else start + 1
            shrunk = True
        else:
            shrunk = False
            stop = e + start if offset else e
            stop = stop + size if stop < 0 else stop
            stop = _clamp(stop, 0, size) if s > 0 else _clamp(stop, -1, size - 1)
            if end_mask >> k & 1:
                stop = size if s > 0 else -1
        count = max(0, -(-(stop - start) // s)) if s > 0 else max(0, -(-(start - stop) // -s))
        if shrunk and count != 1:
            raise ValueError(f"shrunk axis {k} index {b} is outside a dim of {size}")
        if count == 0:
            raise ValueError(f"axis {k} is empty; supported: outputs of one element or more")
        axes.append((start, count, s, shrunk))
    return axes


def strided_slice(in_shape: Shape, axes: Sequence[tuple[int, int, int, bool]], out_shape: Shape) -> list[list[int]]:
    """STRIDED_SLICE (and SLICE): one piece; a negative stride runs backwards.
    The output holds the kept axes' counts (a scalar when every axis shrinks)."""
    kept = [c for _, c, _, shrunk in axes if not shrunk]
    if kept or tuple(out_shape) not in ((), (1,)):
        _check_out(kept, out_shape)
    si = row_strides(in_shape)
    # Output strides over every axis' count: a shrunk axis is a single step.
    so = row_strides([c for _, c, _, _ in axes])
    in_off = sum(start * s for (start, _, _, _), s in zip(axes, si, strict=True))
    return pieces([(c, st * s, o) for (_, c, st, _), s, o in zip(axes, si, so, strict=True)], in_off, 0)


def slice_axes(in_shape: Shape, begin: Sequence[int], size: Sequence[int]) -> list[tuple[int, int, int, bool]]:
    """SLICE: size -1 takes the rest of the axis (TFLM's slice.cc)."""
    if not len(begin) == len(size) == len(in_shape):
        raise ValueError(f"begin and size must have {len(in_shape)} values")
    axes = []
    for k, (d, b, s) in enumerate(zip(in_shape, begin, size, strict=True)):
        b, s = int(b), int(s)
        count = d - b if s == -1 else s
        if not (0 <= b and 1 <= count and b + count <= d):
            raise ValueError(f"begin {b} size {s} on axis {k} of size {d}")
        axes.append((b, count, 1, False))
    return axes


# --- reordering ---


def transpose(in_shape: Shape, perm: Sequence[int], out_shape: Shape) -> list[list[int]]:
    r = len(in_shape)
    perm = [int(p) + r if int(p) < 0 else int(p) for p in perm]
    if sorted(perm) != list(range(r)):
        raise ValueError(f"perm {perm} is not a permutation of {r} axes")
    _check_out([in_shape[p] for p in perm], out_shape)
    si, so = row_strides(in_shape), row_strides(out_shape)
    return pieces([(in_shape[p], si[p], so[k]) for k, p in enumerate(perm)])


def pack(in_shapes: Sequence[Shape], axis: int, out_shape: Shape) -> list[list[int]]:
    """PACK: input k into index k of the new axis."""
    base = in_shapes[0]
    if any(s != base for s in in_shapes):
        raise ValueError("inputs of different shapes")
    axis = axis + len(base) + 1 if axis < 0 else axis
    if not 0 <= axis <= len(base):
        raise ValueError(f"axis outside rank {len(base) + 1}")
    _check_out([*base[:axis], len(in_shapes), *base[axis:]], out_shape)
    si, so = row_strides(base), row_strides(out_shape)
    so_in = so[:axis] + so[axis + 1:]
    return [row for k in range(len(in_shapes))
            for row in pieces(list(zip(base, si, so_in, strict=True)), 0, k * so[axis], input=k)]


def unpack(in_shape: Shape, axis: int, out_shapes: Sequence[Shape]) -> list[list[int]]:
    """UNPACK: index k of the axis into output k."""
    axis = axis + len(in_shape) if axis < 0 else axis
    if not 0 <= axis < len(in_shape):
        raise ValueError(f"axis outside rank {len(in_shape)}")
    want = (*in_shape[:axis], *in_shape[axis + 1:]) or (1,)
    if len(out_shapes) != in_shape[axis] or any(math.prod(s) != math.prod(want) for s in out_shapes):
        raise ValueError(f"needs {in_shape[axis]} outputs of shape {list(want)}")
    si = row_strides(in_shape)
    rest = [d for k, d in enumerate(in_shape) if k != axis]
    si_out = [s for k, s in enumerate(si) if k != axis]
    return [row for k in range(in_shape[axis])
            for row in pieces(list(zip(rest, si_out, row_strides(rest), strict=True)), k * si[axis], 0, output=k)]


def split(in_shape: Shape, axis: int, sizes: Sequence[int], out_shapes: Sequence[Shape]) -> list[list[int]]:
    """SPLIT_V: consecutive runs of the axis into the outputs."""
    at = 0
    si = row_strides(in_shape)
    rows: list[list[int]] = []
    for k, (n, shape) in enumerate(zip(sizes, out_shapes, strict=True)):
        want = [n if a == axis else d for a, d in enumerate(in_shape)]
        _check_out(want, shape)
        rows += pieces(list(zip(shape, si, row_strides(shape), strict=True)), at * si[axis], 0, output=k)
        at += n
    if at != in_shape[axis]:
        raise ValueError(f"sizes add up to {at}, not the axis' {in_shape[axis]}")
    return rows


def gather(in_shape: Shape, indices: np.ndarray, axis: int, out_shape: Shape) -> list[list[int]]:
    """GATHER (batch_dims 0): a run of indices in arithmetic progression is
    one piece (a repeated index has stride 0, a reversed run a negative one)."""
    axis = axis + len(in_shape) if axis < 0 else axis
    if not 0 <= axis < len(in_shape):
        raise ValueError(f"axis outside rank {len(in_shape)}")
    idx = np.asarray(indices, np.int64).reshape(-1)
    size = in_shape[axis]
    if idx.size == 0 or idx.min() < 0 or idx.max() >= size:
        raise ValueError(f"indices outside 0 to {size - 1}")
    _check_out([*in_shape[:axis], *np.shape(indices), *in_shape[axis + 1:]], out_shape)
    outer, inner, n = math.prod(in_shape[:axis]), math.prod(in_shape[axis + 1:]), idx.size
    rows: list[list[int]] = []
    p = 0
    while p < n:
        step = int(idx[p + 1] - idx[p]) if p + 1 < n else 0
        q = p + 1
        while q < n and idx[q] - idx[q - 1] == step:
            q += 1
        loops = [(outer, size * inner, n * inner), (q - p, step * inner, inner), (inner, 1, 1)]
        rows += pieces(loops, int(idx[p]) * inner, p * inner)
        p = q
    return rows


def tile(in_shape: Shape, multiples: Sequence[int], out_shape: Shape) -> list[list[int]]:
    """TILE: per dim a repeat loop of input stride 0 around the dim."""
    if len(multiples) != len(in_shape) or any(int(m) < 1 for m in multiples):
        raise ValueError(f"multiples must be {len(in_shape)} values of 1 or more")
    _check_out([d * int(m) for d, m in zip(in_shape, multiples, strict=True)], out_shape)
    si, so = row_strides(in_shape), row_strides(out_shape)
    loops: list[Loop] = []
    for d, m, a, b in zip(in_shape, multiples, si, so, strict=True):
        loops += [(int(m), 0, d * b), (d, a, b)]
    return pieces(loops)


# --- space and depth ---


def depth_to_space(in_shape: Shape, block: int, out_shape: Shape) -> list[list[int]]:
    """DEPTH_TO_SPACE (NHWC, DCR order): out[n, h*b + i, w*b + j, c] =
    in[n, h, w, (i*b + j)*C + c]."""
    n, h, w, d = in_shape
    if block < 1 or d % (block * block):
        raise ValueError(f"depth {d} is not a multiple of block {block} squared")
    c = d // (block * block)
    _check_out([n, h * block, w * block, c], out_shape)
    si, so = row_strides(in_shape), row_strides(out_shape)
    return pieces([(n, si[0], so[0]), (h, si[1], block * so[1]), (block, block * c, so[1]),
                   (w, si[2], block * so[2]), (block, c, so[2]), (c, 1, 1)])


def space_to_depth(in_shape: Shape, block: int, out_shape: Shape) -> list[list[int]]:
    """SPACE_TO_DEPTH, the inverse: out[n, h, w, (i*b + j)*C + c] =
    in[n, h*b + i, w*b + j, c]."""
    n, h, w, c = in_shape
    if block < 1 or h % block or w % block:
        raise ValueError(f"height {h} and width {w} are not multiples of block {block}")
    _check_out([n, h // block, w // block, c * block * block], out_shape)
    si, so = row_strides(in_shape), row_strides(out_shape)
    return pieces([(n, si[0], so[0]), (h // block, block * si[1], so[1]), (w // block, block * si[2], so[2]),
                   (block, si[1], block * c), (block, si[2], c), (c, 1, 1)])


def _spatial(in_shape: Shape, block: Sequence[int], pairs: np.ndarray, what: str) -> tuple[list[int], list[int]]:
    m = len(block)
    if not 1 <= m <= len(in_shape) - 2 or any(int(b) < 1 for b in block):
        raise ValueError(f"block shape {list(block)}; supported: 1 to {len(in_shape) - 2} values of 1 or more")
    p = np.asarray(pairs, np.int64).reshape(-1)
    if p.size != 2 * m or (p < 0).any():
        raise ValueError(f"{what} must be {m} pairs of values of 0 or more")
    return [int(b) for b in block], [int(v) for v in p]


def batch_to_space_nd(in_shape: Shape, block: Sequence[int], crops: np.ndarray,
                      out_shape: Shape) -> list[list[int]]:
    """BATCH_TO_SPACE_ND: input batch (i*B + n) for block offset i goes to
    output spatial positions x*b + i - crop_begin; one piece per block
    offset, cropped to the output box."""
    blk, cr = _spatial(in_shape, block, crops, "crops")
    m = len(blk)
    prod = math.prod(blk)
    if in_shape[0] % prod:
        raise ValueError(f"batch {in_shape[0]} is not a multiple of the block's {prod}")
    batch = in_shape[0] // prod
    spatial = [in_shape[1 + k] * blk[k] - cr[2 * k] - cr[2 * k + 1] for k in range(m)]
    if any(s < 1 for s in spatial):
        raise ValueError("crops remove every element")
    _check_out([batch, *spatial, *in_shape[1 + m:]], out_shape)
    si, so = row_strides(in_shape), row_strides(out_shape)
    rest = list(zip(in_shape[1 + m:], si[1 + m:], so[1 + m:], strict=True))
    rows: list[list[int]] = []
    for offs in np.ndindex(*blk):
        in_off = sum(int(o) * math.prod(blk[k + 1:]) for k, o in enumerate(offs)) * batch * si[0]
        out_off, loops, empty = 0, [(batch, si[0], so[0])], False
        for k, o in enumerate(offs):
            # Input x lands at y = x*b + o - crop; keep 0 <= y < spatial[k].
            b, crop = blk[k], cr[2 * k]
            first = max(0, -(-(crop - o) // b))
            last = min(in_shape[1 + k] - 1, (spatial[k] - 1 + crop - o) // b)
            if last < first:
                empty = True
                break
            in_off += first * si[1 + k]
            out_off += (first * b + o - crop) * so[1 + k]
            loops.append((last - first + 1, si[1 + k], b * so[1 + k]))
        if not empty:
            rows += pieces(loops + rest, in_off, out_off)
    return rows


def space_to_batch_nd(in_shape: Shape, block: Sequence[int], paddings: np.ndarray,
                      out_shape: Shape) -> list[list[int]]:
    """SPACE_TO_BATCH_ND: the inverse, over a padded input (the padding is
    the fill value): output batch (i*B + n), position y holds input
    y*b + i - pad_begin where that is inside the input."""
    blk, pd = _spatial(in_shape, block, paddings, "paddings")
    m = len(blk)
    padded = [in_shape[1 + k] + pd[2 * k] + pd[2 * k + 1] for k in range(m)]
    if any(p % b for p, b in zip(padded, blk, strict=True)):
        raise ValueError(f"padded spatial dims {padded} are not multiples of the block {blk}")
    batch = in_shape[0]
    _check_out([batch * math.prod(blk), *[p // b for p, b in zip(padded, blk, strict=True)], *in_shape[1 + m:]],
               out_shape)
    si, so = row_strides(in_shape), row_strides(out_shape)
    rest = list(zip(in_shape[1 + m:], si[1 + m:], so[1 + m:], strict=True))
    rows: list[list[int]] = []
    for offs in np.ndindex(*blk):
        out_off = sum(int(o) * math.prod(blk[k + 1:]) for k, o in enumerate(offs)) * batch * so[0]
        in_off, loops, empty = 0, [(batch, si[0], so[0])], False
        for k, o in enumerate(offs):
            # Output y reads input x = y*b + o - pad; keep 0 <= x < dim.
            b, p = blk[k], pd[2 * k]
            first = max(0, -(-(p - o) // b))
            last = min(out_shape[1 + k] - 1, (in_shape[1 + k] - 1 + p - o) // b)
            if last < first:
                empty = True
                break
            out_off += first * so[1 + k]
            in_off += (first * b + o - p) * si[1 + k]
            loops.append((last - first + 1, b * si[1 + k], so[1 + k]))
        if not empty:
            rows += pieces(loops + rest, in_off, out_off)
    return rows
