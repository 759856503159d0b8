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

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import layout
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


# The arm_dsp variants of CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED fold
# input_offset * sum(weights) into a bias they always have (kernels.h);
# the convolutions keep input_offset as what padding reads (its zero point).


def _dims(shape: Sequence[int]) -> Any:
    """A tensor shape as trt_dims_t, right-aligned into NHWC like the loader's."""
    from .native import ffi

    d = [1] * (4 - len(shape)) + [int(v) for v in shape]
    return ffi.new("trt_dims_t *", {"n": d[0], "h": d[1], "w": d[2], "c": d[3]})


def _fits(graph: Graph, op: Op, taps_per_output: int, sums: np.ndarray) -> bool:
    """The folded bias keeps the loader's accumulator bound (trt_check_channels)."""
    from . import limits  # through the binding, loaded only when a candidate is tried

    bound = int(np.abs(_folded_bias(graph, op, sums).astype(np.int64)).max()) + taps_per_output * limits.MAX_PRODUCT
    return bound <= limits.INT32_MAX


def _folded_bias(graph: Graph, op: Op, sums: np.ndarray) -> np.ndarray:
    """The bias with input_offset * sums added (int64: _fits bounds it before it is stored as int32)."""
    bias = graph.tensors[op.inputs[2]].data if op.inputs[2] >= 0 else None
    return (0 if bias is None else bias.astype(np.int64)) + op.params["input_offset"] * sums


def _own_const(graph: Graph, op: Op, slot: int, data: np.ndarray, name: str) -> None:
    """Give input `slot` of `op` the constant `data`: in place when no other
    op reads the tensor, else (or when absent) as a new tensor."""
    tid = op.inputs[slot]
    if tid >= 0 and sum(tid in o.inputs for o in graph.ops) == 1:
        graph.tensors[tid].data = np.ascontiguousarray(data)
        return
    dtype = {np.dtype(np.int8): DType.INT8, np.dtype(np.int32): DType.INT32}[data.dtype]
    graph.tensors.append(Tensor(name, dtype, tuple(data.shape), data=np.ascontiguousarray(data)))
    op.inputs[slot] = len(graph.tensors) - 1


def _dw_takes(three: bool, inplace: bool) -> Callable[[Graph, Op], int | None]:
    def takes(graph: Graph, op: Op) -> int | None:
        from .native import ffi, lib

        fields = ffi.typeof("trt_conv_params_t").fields
        params = ffi.new("trt_conv_params_t *", {name: op.params[name] for name, _ in fields})
        din, dout = _dims(graph.tensors[op.inputs[0]].shape), _dims(graph.tensors[op.output].shape)
        w = graph.tensors[op.inputs[1]]
        assert w.data is not None
        predicate = lib.trt_dwconv_s8_dsp_3x3_takes if three else lib.trt_dwconv_s8_dsp_takes
        if not predicate(params, din, _dims(w.shape), dout):
            return None
        if not _fits(graph, op, w.shape[1] * w.shape[2], w.data.astype(np.int64).sum(axis=(0, 1, 2))):
            return None
        if inplace:
            return None if op.params["depth_multiplier"] != 1 else int(lib.trt_dwconv_s8_dsp_inplace_scratch_size(dout))
        return 0

    return takes


def _dw_prepare(graph: Graph, op: Op) -> None:
    w = graph.tensors[op.inputs[1]]
    assert w.data is not None
    sums = w.data.astype(np.int64).sum(axis=(0, 1, 2))
    _own_const(graph, op, 2, _folded_bias(graph, op, sums).astype(np.int32), w.name + "/bias_dsp")
    _own_const(graph, op, 1, layout.dwconv_dsp_filter(w.data, op.params["depth_multiplier"]), w.name + "/dsp")


def _fc_takes(graph: Graph, op: Op) -> int | None:
    # The converter folds the offset whenever the bound allows (as the C check requires).
    w = graph.tensors[op.inputs[1]]
    assert w.data is not None
    if op.params["input_offset"] != 0 or not _fits(graph, op, w.shape[1], w.data.astype(np.int64).sum(axis=1)):
        return None
    macs = graph.tensors[op.output].elements * w.shape[1]
    return 0 if macs >= MIN_SIZE["fc_macs"] else None


def _fc_prepare(graph: Graph, op: Op) -> None:
    w = graph.tensors[op.inputs[1]]
    assert w.data is not None
    _own_const(graph, op, 2, _folded_bias(graph, op, w.data.astype(np.int64).sum(axis=1)).astype(np.int32),
               w.name + "/bias_dsp")
    _own_const(graph, op, 1, layout.fc_dsp_filter(w.data), w.name + "/dsp")



def _conv_sums(graph: Graph, op: Op) -> np.ndarray:
    w = graph.tensors[op.inputs[1]].data
    assert w is not None
    return w.reshape(w.shape[0], -1).astype(np.int64).sum(axis=1)


def _conv_takes(graph: Graph, op: Op) -> int | None:
    """trt_conv_s8_dsp takes every CONV_2D whose folded bias keeps the
    accumulator bound; in place, the shapes choose_inplace gave REF_INPLACE."""
    from .native import ffi, lib

    w = graph.tensors[op.inputs[1]]
    if not _fits(graph, op, int(np.prod(w.shape[1:])), _conv_sums(graph, op)):
        return None
    params = ffi.new("trt_conv_params_t *", op.params)
    return int(lib.trt_conv_s8_dsp_scratch_size(params, _dims(w.shape)))


def _conv_prepare(graph: Graph, op: Op) -> None:
    name = graph.tensors[op.inputs[1]].name + "/bias_dsp"
    _own_const(graph, op, 2, _folded_bias(graph, op, _conv_sums(graph, op)).astype(np.int32), name)


# Sizes below which an optimized variant does not pay (the converter keeps the
# reference there): ADD/SUB below 256 elements spend more on trt_add_s8_dsp's
# two 256-entry tables than they save; a FULLY_CONNECTED of fewer than 1,024
# multiply-accumulates saves a few thousand instructions for the 1.8 KB of
# trt_fc_s8_dsp's code. The tests lift them (all_sizes): a variant is exact at
# every size the loader lets it run.
MIN_SIZE = {"add_elements": 256, "fc_macs": 1024}


@contextmanager
def all_sizes() -> Iterator[None]:
    """Every optimized variant at every size it takes, for the tests."""
    saved = dict(MIN_SIZE)
    MIN_SIZE.update(dict.fromkeys(MIN_SIZE, 0))
    try:
        yield
    finally:
        MIN_SIZE.update(saved)


def _elementwise_dsp(graph: Graph, op: Op) -> int | None:
    """trt_add_s8_dsp / trt_sub_s8_dsp: no broadcast, enough elements."""
    from .native import lib

    def nhwc(t: int) -> tuple[int, ...]:
        shape = graph.tensors[t].shape
        return (1,) * (4 - len(shape)) + tuple(shape)

    if graph.tensors[op.output].elements < MIN_SIZE["add_elements"] or \
            any(nhwc(t) != nhwc(op.output) for t in op.inputs):
        return None
    return int(lib.trt_add_s8_dsp_scratch_size())


def _avgpool_dsp(graph: Graph, op: Op) -> int | None:
    """trt_avgpool_s8_dsp: 4k channels, windows of at most TRT_AVGPOOL_DSP_MAX_WINDOW pixels, no scratch."""
    from .native import lib

    window = op.params["filter_h"] * op.params["filter_w"]
    channels = graph.tensors[op.inputs[0]].shape[-1]
    return 0 if channels % 4 == 0 and window <= lib.TRT_AVGPOOL_DSP_MAX_WINDOW else None


_DW = OpType.DEPTHWISE_CONV_2D

# Per kernel directory, most specific first. The reference directory needs no
# entry: an op keeps its reference variant when no candidate takes it.
CANDIDATES: dict[str, tuple[Candidate, ...]] = {
    "arm_dsp": (
        Candidate(OpType.CONV_2D, Variant.DSP_INPLACE, _conv_takes, _conv_prepare),
        Candidate(OpType.CONV_2D, Variant.DSP, _conv_takes, _conv_prepare),
        Candidate(OpType.ADD, Variant.DSP_INPLACE, _elementwise_dsp),
        Candidate(OpType.ADD, Variant.DSP, _elementwise_dsp),
        Candidate(OpType.SUB, Variant.DSP_INPLACE, _elementwise_dsp),
        Candidate(OpType.SUB, Variant.DSP, _elementwise_dsp),
        Candidate(OpType.AVERAGE_POOL_2D, Variant.DSP, _avgpool_dsp),
        Candidate(_DW, Variant.DSP_3X3_INPLACE, _dw_takes(three=True, inplace=True), _dw_prepare),
        Candidate(_DW, Variant.DSP_3X3, _dw_takes(three=True, inplace=False), _dw_prepare),
        Candidate(_DW, Variant.DSP_INPLACE, _dw_takes(three=False, inplace=True), _dw_prepare),
        Candidate(_DW, Variant.DSP, _dw_takes(three=False, inplace=False), _dw_prepare),
        Candidate(OpType.FULLY_CONNECTED, Variant.DSP, _fc_takes, _fc_prepare),
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


__all__ = ["CANDIDATES", "PORTABLE", "Candidate", "KernelsError", "all_sizes", "check_dirs", "select_kernels"]
