"""Run a lowered Graph with the numpy reference kernels: the same ops and
folded parameters the C runtime executes, without the arena."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..convert import Graph
from ..format import OpType
from . import elementwise, nn

_DTYPES = {1: np.int8, 2: np.int32, 3: np.float32}
# The in-place 1x1 kernel is run with its aliasing, so that the graph
# reference checks it on whole models too.
_CONV_KERNELS = {
    OpType.CONV_2D: nn.conv_s8,
    OpType.CONV_2D_INPLACE: nn.conv1x1_s8_inplace,
    OpType.DEPTHWISE_CONV_2D: nn.dwconv_s8,
    OpType.DEPTHWISE_CONV_2D_INPLACE: nn.dwconv_s8,
}


def run_graph(graph: Graph, inputs: Sequence[np.ndarray]) -> list[np.ndarray]:
    values: dict[int, np.ndarray] = {}
    for t_id, t in enumerate(graph.tensors):
        if t.data is not None:
            values[t_id] = t.data
    for t_id, x in zip(graph.inputs, inputs, strict=True):
        t = graph.tensors[t_id]
        values[t_id] = np.asarray(x, dtype=_DTYPES[t.dtype]).reshape(t.shape)

    for op in graph.ops:
        out_t = graph.tensors[op.output]
        x = values[op.inputs[0]]
        p = op.params
        if op.type in _CONV_KERNELS:
            kernel = _CONV_KERNELS[op.type]
            bias = values[op.inputs[2]] if op.inputs[2] >= 0 else None
            y = kernel(x, values[op.inputs[1]], bias, values[op.inputs[3]], values[op.inputs[4]], **p,
                       out_h=out_t.shape[1], out_w=out_t.shape[2])
        elif op.type == OpType.FULLY_CONNECTED:
            w = values[op.inputs[1]]
            bias = values[op.inputs[2]] if op.inputs[2] >= 0 else None
            y = nn.fc_s8(x.reshape(-1, w.shape[1]), w, bias, values[op.inputs[3]], values[op.inputs[4]], **p)
        elif op.type == OpType.AVERAGE_POOL_2D:
            y = nn.avgpool_s8(x, **p, out_h=out_t.shape[1], out_w=out_t.shape[2])
        elif op.type == OpType.MAX_POOL_2D:
            y = nn.maxpool_s8(x, **p, out_h=out_t.shape[1], out_w=out_t.shape[2])
        elif op.type == OpType.ADD:
            y = elementwise.add_s8(x, values[op.inputs[1]], **p)
        elif op.type == OpType.SOFTMAX:
            y = elementwise.softmax_s8(x, **p)
        elif op.type == OpType.RESHAPE:
            y = x
        elif op.type == OpType.QUANTIZE:
            y = elementwise.quantize_f32_s8(x, **p)
        elif op.type == OpType.REQUANTIZE:
            y = elementwise.requantize_s8(x, **p)
        elif op.type == OpType.DEQUANTIZE:
            y = elementwise.dequantize_s8_f32(x, **p)
        else:  # pragma: no cover - every OpType is handled above
            raise NotImplementedError(op.type.name)
        values[op.output] = np.asarray(y).reshape(out_t.shape)
    return [values[t] for t in graph.outputs]
