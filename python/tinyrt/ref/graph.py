"""Run a lowered Graph with the numpy reference kernels: the same ops, kernel
variants and folded parameters the C runtime executes, without the arena."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ..format import OpType, Variant
from ..ir import Graph, Op, Tensor
from . import activations, batch_matmul, elementwise, l2norm, move, nn, reduce, resize

_DTYPES = {1: np.int8, 2: np.int32, 3: np.float32, 4: np.int16, 6: np.int64}

# One runner per op: (op, input values by position (None where absent),
# output tensors) -> output values.
Runner = Callable[[Op, list[np.ndarray | None], list[Tensor]], list[np.ndarray]]


def _conv(op: Op, xs: list[np.ndarray | None], outs: list[Tensor]) -> list[np.ndarray]:
    # The in-place 1x1 kernel runs with its aliasing, so that the graph
    # reference checks it on whole models too.
    if op.type == OpType.DEPTHWISE_CONV_2D:
        kernel = nn.dwconv_s8 if op.variant in (Variant.REF, Variant.REF_INPLACE) else nn.dwconv_s8_dsp
    else:
        # The arm_dsp kernels' in-place form computes what the out-of-place one does.
        kernel = nn.conv1x1_s8_inplace if op.variant == Variant.REF_INPLACE else nn.conv_s8
    x, w, bias, mult, shift = xs
    # The arm_dsp CONV_2D's folded bias (kernels.h; the depthwise ones have their own reference).
    dsp = op.type == OpType.CONV_2D and op.variant in (Variant.DSP, Variant.DSP_INPLACE)
    extra = {"folded": True} if dsp else {}
    return [kernel(x, w, bias, mult, shift, **op.params, out_h=outs[0].shape[1], out_w=outs[0].shape[2], **extra)]


def _tconv(op: Op, xs: list[np.ndarray | None], outs: list[Tensor]) -> list[np.ndarray]:
    x, w, bias, mult, shift = xs
    return [nn.tconv_s8(x, w, bias, mult, shift, **op.params, out_h=outs[0].shape[1], out_w=outs[0].shape[2])]


def _fc(op: Op, xs: list[np.ndarray | None], outs: list[Tensor]) -> list[np.ndarray]:
    x, w, bias, mult, shift = xs
    assert x is not None and w is not None
    kernel = nn.fc_s8 if op.variant == Variant.REF else nn.fc_s8_dsp
    return [kernel(x.reshape(-1, w.shape[1]), w, bias, mult, shift, **op.params)]


def _pool(kernel: Callable[..., np.ndarray]) -> Runner:
    return lambda op, xs, outs: [kernel(xs[0], **op.params, out_h=outs[0].shape[1], out_w=outs[0].shape[2])]


def _unary(kernel: Callable[..., np.ndarray]) -> Runner:
    return lambda op, xs, outs: [kernel(xs[0], **op.params)]


def _binary(kernel: Callable[..., np.ndarray]) -> Runner:
    return lambda op, xs, outs: [kernel(xs[0], xs[1], **op.params)]


def _concat(op: Op, xs: list[np.ndarray | None], outs: list[Tensor]) -> list[np.ndarray]:
    *ins, table = xs
    requant = None
    if table is not None:
        fields = ("input_offset", "multiplier", "shift", "output_offset")
        requant = [dict(zip(fields, map(int, row), strict=True)) for row in table]
    return [elementwise.concat_s8(*ins, axis=op.params["axis"], input_requant=requant)]


def _split(op: Op, xs: list[np.ndarray | None], outs: list[Tensor]) -> list[np.ndarray]:
    axis = op.params["axis"]
    return elementwise.split_s8(xs[0], axis=axis, sizes=[t.shape[axis] for t in outs])


def _copy(op: Op, xs: list[np.ndarray | None], outs: list[Tensor]) -> list[np.ndarray]:
    *ins, table = xs
    assert table is not None
    if op.variant == Variant.REF_INPLACE:
        assert ins[0] is not None
        return [move.copy_s8_inplace(ins[0], table, outs[0].shape, **op.params)]
    return move.copy_s8([x for x in ins if x is not None], table, [t.shape for t in outs], **op.params)


RUNNERS: dict[OpType, Runner] = {
    OpType.CONV_2D: _conv,
    OpType.DEPTHWISE_CONV_2D: _conv,
    OpType.FULLY_CONNECTED: _fc,
    OpType.AVERAGE_POOL_2D: _pool(nn.avgpool_s8),
    OpType.MAX_POOL_2D: _pool(nn.maxpool_s8),
    OpType.ADD: _binary(elementwise.add_s8),
    OpType.SOFTMAX: _unary(elementwise.softmax_s8),
    OpType.RESHAPE: lambda op, xs, outs: [xs[0]],
    OpType.QUANTIZE: _unary(elementwise.quantize_f32_s8),
    OpType.REQUANTIZE: _unary(elementwise.requantize_s8),
    OpType.DEQUANTIZE: _unary(elementwise.dequantize_s8_f32),
    OpType.MUL: _binary(elementwise.mul_s8),
    OpType.CONCATENATION: _concat,
    OpType.SPLIT: _split,
    OpType.SUB: _binary(elementwise.sub_s8),
    OpType.MAXIMUM: lambda op, xs, outs: [elementwise.maximum_s8(xs[0], xs[1])],
    OpType.MINIMUM: lambda op, xs, outs: [elementwise.minimum_s8(xs[0], xs[1])],
    OpType.LUT: lambda op, xs, outs: [activations.lut_s8(xs[0], xs[1])],
    OpType.PRELU: _binary(elementwise.prelu_s8),
    OpType.SQUARED_DIFFERENCE: _binary(elementwise.squared_difference_s8),
    OpType.MEAN: lambda op, xs, outs: [elementwise.mean_s8(xs[0], **op.params).reshape(outs[0].shape)],
    OpType.TRANSPOSE_CONV: _tconv,
    OpType.COPY: _copy,
    OpType.SUM: lambda op, xs, outs: [elementwise.mean_s8(xs[0], **op.params).reshape(outs[0].shape)],
    OpType.REDUCE_MAX: lambda op, xs, outs: [reduce.reduce_max_s8(xs[0], **op.params).reshape(outs[0].shape)],
    OpType.REDUCE_MIN: lambda op, xs, outs: [reduce.reduce_min_s8(xs[0], **op.params).reshape(outs[0].shape)],
    OpType.ARG_MAX: lambda op, xs, outs: [reduce.arg_max_s8(xs[0], **op.params).reshape(outs[0].shape)],
    OpType.RESIZE_NEAREST_NEIGHBOR: lambda op, xs, outs: [resize.resize_s8(xs[0], xs[1], out_h=outs[0].shape[1])],
    OpType.RESIZE_BILINEAR: lambda op, xs, outs: [resize.resize_s8(xs[0], xs[1], out_h=outs[0].shape[1])],
    OpType.L2_NORMALIZATION: _unary(l2norm.l2norm_s8),
    OpType.BATCH_MATMUL: _binary(batch_matmul.batch_matmul_s8),
    OpType.ARG_MIN: lambda op, xs, outs: [reduce.arg_min_s8(xs[0], **op.params).reshape(outs[0].shape)],
}


def initial_state(graph: Graph) -> dict[int, np.ndarray]:
    """Persistent tensors as trt_model_init and trt_reset_state leave them:
    real zero (the zero point for int8)."""
    return {t_id: np.full(t.shape, t.zero_point if t.dtype == 1 else 0, _DTYPES[t.dtype])
            for t_id, t in enumerate(graph.tensors) if t.persistent}


def run_graph(graph: Graph, inputs: Sequence[np.ndarray], state: dict[int, np.ndarray] | None = None
              ) -> list[np.ndarray]:
    """The graph's outputs for `inputs`. `state` (persistent tensor id ->
    value, initial_state() when None) is updated in place, so that a caller
    can carry it across runs as trt_invoke does."""
    values: dict[int, np.ndarray] = {}
    for t_id, t in enumerate(graph.tensors):
        if t.data is not None:
            values[t_id] = t.data
    if state is None:
        state = initial_state(graph)
    values.update(state)
    for t_id, x in zip(graph.inputs, inputs, strict=True):
        t = graph.tensors[t_id]
        values[t_id] = np.asarray(x, dtype=_DTYPES[t.dtype]).reshape(t.shape)

    for op in graph.ops:
        outs = [graph.tensors[t] for t in op.outputs]
        ys = RUNNERS[op.type](op, [values[t] if t >= 0 else None for t in op.inputs], outs)
        for t_id, t, y in zip(op.outputs, outs, ys, strict=True):
            values[t_id] = np.asarray(y).reshape(t.shape)
    for t_id in state:
        state[t_id] = values[t_id]
    return [values[t] for t in graph.outputs]
