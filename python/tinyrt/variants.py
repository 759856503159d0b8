"""Kernel variants chosen offline, per layer, for a target's kernel directories.

A board builds the kernel directories its board.py lists (`kernel_dirs`);
the converter gives each op the best variant among those directories' pairs
(format.KERNELS) that takes the op's shape. The reference variants take every
shape and come last. What a variant takes comes from its kernel's own C
predicate and scratch size function (through the host binding, which builds
every portable kernel directory), the very functions the loader calls, so
the converter and the loader cannot disagree.

A candidate may also lay the op's constants out for its inner loop offline
(`prepare`: weights reordered, the input zero point folded into the bias);
it then owns the op's constants (the lowering gives each op its own).

`select_kernels(graph, dirs)` runs after the in-place choice
(convert.choose_inplace): an op the planner runs in place only takes an
in-place candidate, an out-of-place op an out-of-place one."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from . import limits
from .format import KERNELS, DType, OpType, Variant
from .ir import Graph, Op, Tensor

# The kernel directories of a blob that runs on every board.
PORTABLE: tuple[str, ...] = ("ref",)


@dataclass(frozen=True)
class Candidate:
    op: OpType
    variant: Variant
    # Scratch bytes when the variant runs this op (its shape, its params), else None.
    takes: Callable[[Graph, Op], int | None]
    # The variant's offline layout of the op's constants, if it has one.
    prepare: Callable[[Graph, Op], None] | None = None
    # Larger scratch sizes the kernel runs faster with, largest first
    # (grow_scratch gives it the largest the arena has room for).
    more_scratch: Callable[[Graph, Op], list[int]] | None = None


def _dims(shape: Sequence[int]) -> object:
    from .native import ffi

    return ffi.new("trt_dims_t *", dict(zip("nhwc", shape, strict=True)))


def _folded_bias(graph: Graph, op: Op) -> np.ndarray | None:
    """The bias with input_offset * sum(filter) in it for every tap (the
    arm_dsp contract, format.Variant.folded), or None where the loader's
    accumulator bound (|bias| + taps * TRT_MAX_PRODUCT in int32) would not
    hold for it."""
    w = graph.tensors[op.inputs[1]].data
    assert w is not None
    rows = w.reshape(w.shape[0], -1).astype(np.int64)
    bias = graph.tensors[op.inputs[2]].data if op.inputs[2] >= 0 else None
    folded = (np.zeros(rows.shape[0], np.int64) if bias is None else bias.astype(np.int64)) + \
        op.params["input_offset"] * rows.sum(axis=1)
    if int(np.abs(folded).max()) + rows.shape[1] * limits.MAX_PRODUCT > limits.INT32_MAX:
        return None
    return folded


def _fold_bias(graph: Graph, op: Op) -> None:
    """Store _folded_bias as the op's bias. input_offset stays in the params:
    the kernels pad with the zero point it gives."""
    if op.params["input_offset"] == 0:
        return  # the lowering folded it already (no tap reads padding)
    folded = _folded_bias(graph, op)
    assert folded is not None
    data = folded.astype(np.int32)
    if op.inputs[2] >= 0:
        graph.tensors[op.inputs[2]].data = data
    else:
        graph.tensors.append(Tensor(f"{graph.tensors[op.inputs[1]].name}/bias_folded", DType.INT32, data.shape,
                                    data=data))
        op.inputs[2] = len(graph.tensors) - 1


# trt_conv_s8_dsp's pixel pairs per block: one at least; more (up to
# CONV_DSP_PAIRS) share each channel pair's set-up, where the arena has room
# for their scratch (grow_scratch).
CONV_DSP_PAIRS = 8


def _conv_dsp_scratch(graph: Graph, op: Op, pairs: int) -> int:
    from .native import ffi, lib

    params = ffi.new("trt_conv_params_t *", op.params)
    return int(lib.trt_conv_s8_dsp_scratch_size(params, _dims(graph.tensors[op.inputs[1]].shape), pairs))


def _conv_dsp(graph: Graph, op: Op) -> int | None:
    """trt_conv_s8_dsp takes every CONV_2D whose folded bias keeps the
    accumulator bound; in place, the shapes choose_inplace gave REF_INPLACE."""
    if _folded_bias(graph, op) is None:
        return None
    return _conv_dsp_scratch(graph, op, 1)


def _conv_dsp_more(graph: Graph, op: Op) -> list[int]:
    """Scratch for blocks of more pixel pairs, largest first."""
    pixel_pairs = (math.prod(graph.tensors[op.output].shape[:3]) + 1) // 2
    return [_conv_dsp_scratch(graph, op, n) for n in (CONV_DSP_PAIRS, 4, 2) if 1 < n <= pixel_pairs]


# Below this many elements, building trt_add_s8_dsp's two 256-entry tables
# costs more than the reference's per-element requantization saves.
ADD_DSP_MIN_ELEMENTS = 256


def _elementwise_dsp(graph: Graph, op: Op) -> int | None:
    """trt_add_s8_dsp / trt_sub_s8_dsp: no broadcast, enough elements."""
    from .native import lib

    def nhwc(t: int) -> tuple[int, ...]:
        shape = graph.tensors[t].shape
        return (1,) * (4 - len(shape)) + tuple(shape)

    if graph.tensors[op.output].elements < ADD_DSP_MIN_ELEMENTS or any(nhwc(t) != nhwc(op.output) for t in op.inputs):
        return None
    return int(lib.trt_add_s8_dsp_scratch_size())


# Per kernel directory, most specific first. The reference directory needs no
# entry: an op keeps its reference variant when no candidate takes it.
CANDIDATES: dict[str, tuple[Candidate, ...]] = {
    "arm_dsp": (
        Candidate(OpType.CONV_2D, Variant.DSP_INPLACE, _conv_dsp, _fold_bias, _conv_dsp_more),
        Candidate(OpType.CONV_2D, Variant.DSP, _conv_dsp, _fold_bias, _conv_dsp_more),
        Candidate(OpType.ADD, Variant.DSP, _elementwise_dsp),
        Candidate(OpType.SUB, Variant.DSP, _elementwise_dsp),
    ),
}


class KernelsError(ValueError):
    pass


def check_dirs(dirs: Sequence[str]) -> tuple[str, ...]:
    """The kernel directories, validated; the reference is always there."""
    unknown = [d for d in dirs if d not in KERNELS]
    if unknown:
        raise KernelsError(f"unknown kernel directory {', '.join(unknown)}; known: {', '.join(KERNELS)}")
    return tuple(dict.fromkeys(["ref", *dirs]))


def select_kernels(graph: Graph, dirs: Sequence[str]) -> None:
    """Give each op the first candidate of `dirs` (optimized directories
    before the reference) that takes it."""
    optimized = [d for d in check_dirs(dirs) if d != "ref"]
    for op in graph.ops:
        for d in optimized:
            chosen = _first_taker(graph, op, CANDIDATES.get(d, ()))
            if chosen is not None:
                candidate, scratch = chosen
                if candidate.prepare is not None:
                    candidate.prepare(graph, op)
                op.variant, op.scratch_bytes = candidate.variant, scratch
                break


def grow_scratch(graph: Graph, arena_bytes: Callable[[Graph], int]) -> None:
    """Give each op whose kernel runs faster with more scratch (a
    candidate's more_scratch) the largest size that leaves the arena
    (`arena_bytes`, the planner's) as it is: speed from room the memory plan
    has anyway, never more RAM."""
    by_pair = {(c.op, c.variant): c for cs in CANDIDATES.values() for c in cs if c.more_scratch is not None}
    arena = None
    for op in graph.ops:
        candidate = by_pair.get((op.type, op.variant))
        if candidate is None or candidate.more_scratch is None:
            continue
        arena = arena_bytes(graph) if arena is None else arena
        least = op.scratch_bytes
        for size in candidate.more_scratch(graph, op):
            op.scratch_bytes = size
            if arena_bytes(graph) <= arena:
                break
            op.scratch_bytes = least


def _first_taker(graph: Graph, op: Op, candidates: Sequence[Candidate]) -> tuple[Candidate, int] | None:
    for c in candidates:
        if c.op == op.type and c.variant.inplace == op.variant.inplace:
            scratch = c.takes(graph, op)
            if scratch is not None:
                return c, scratch
    return None


__all__ = ["CANDIDATES", "PORTABLE", "Candidate", "KernelsError", "check_dirs", "grow_scratch", "select_kernels"]
