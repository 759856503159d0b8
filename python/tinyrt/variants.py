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


def _conv_dsp(graph: Graph, op: Op) -> int | None:
    """trt_conv_s8_dsp takes every CONV_2D whose folded bias keeps the
    accumulator bound; in place, the shapes choose_inplace gave REF_INPLACE."""
    from .native import ffi, lib

    if _folded_bias(graph, op) is None:
        return None
    params = ffi.new("trt_conv_params_t *", op.params)
    return int(lib.trt_conv_s8_dsp_scratch_size(params, _dims(graph.tensors[op.inputs[1]].shape)))


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


def _avgpool_dsp(graph: Graph, op: Op) -> int | None:
    """trt_avgpool_s8_dsp: 4k channels, windows of at most TRT_AVGPOOL_DSP_MAX_WINDOW pixels, no scratch."""
    from .native import lib

    window = op.params["filter_h"] * op.params["filter_w"]
    channels = graph.tensors[op.inputs[0]].shape[-1]
    return 0 if channels % 4 == 0 and window <= lib.TRT_AVGPOOL_DSP_MAX_WINDOW else None


# Per kernel directory, most specific first. The reference directory needs no
# entry: an op keeps its reference variant when no candidate takes it.
CANDIDATES: dict[str, tuple[Candidate, ...]] = {
    "arm_dsp": (
        Candidate(OpType.CONV_2D, Variant.DSP_INPLACE, _conv_dsp, _fold_bias),
        Candidate(OpType.CONV_2D, Variant.DSP, _conv_dsp, _fold_bias),
        Candidate(OpType.ADD, Variant.DSP_INPLACE, _elementwise_dsp),
        Candidate(OpType.ADD, Variant.DSP, _elementwise_dsp),
        Candidate(OpType.SUB, Variant.DSP_INPLACE, _elementwise_dsp),
        Candidate(OpType.SUB, Variant.DSP, _elementwise_dsp),
        Candidate(OpType.AVERAGE_POOL_2D, Variant.DSP, _avgpool_dsp),
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


def _first_taker(graph: Graph, op: Op, candidates: Sequence[Candidate]) -> tuple[Candidate, int] | None:
    for c in candidates:
        if c.op == op.type and c.variant.inplace == op.variant.inplace:
            scratch = c.takes(graph, op)
            if scratch is not None:
                return c, scratch
    return None


__all__ = ["CANDIDATES", "PORTABLE", "Candidate", "KernelsError", "check_dirs", "select_kernels"]
