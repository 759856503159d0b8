"""Lowering .tflite to tinyrt ops, with all quantization math folded offline.

The result is a `Graph` of tinyrt ops whose parameters are exactly the C
param structs (format.PARAMS): per-channel multipliers and shifts, offsets,
activation ranges, and biases with the input zero point folded in where that
is exact. In-place kernels are chosen here; plan.py then places the tensors.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from . import limits, movement, quant, ref
from .format import PARAMS, DType, OpType, Storage, Variant
from .ir import Graph, Op, Tensor
from .plan import plan
from .ref.activations import TABLE_INPUTS
from .tflite import TflModel, TflOp, TflTensor, read_tflite
from .variants import PORTABLE, select_kernels

__all__ = [
    "ARITY", "FOLDED_ONLY", "LOWERED_AS", "SUPPORTED_OPS", "ConvertError", "Graph", "Op", "Tensor", "check_graph",
    "choose_inplace", "convert",
]


class ConvertError(ValueError):
    """The model uses something tinyrt does not support; the message names the
    op, the tensor and what is supported."""


_DTYPES = {"INT8": DType.INT8, "INT16": DType.INT16, "INT32": DType.INT32, "FLOAT32": DType.FLOAT32,
           "INT64": DType.INT64}


class _Lowering:
    def __init__(self, model: TflModel) -> None:
        # A shallow copy: folding replaces a folded op's output by a constant
        # tensor here, never in the caller's model.
        self.model = TflModel(list(model.tensors), model.ops, model.inputs, model.outputs)
        self.graph = Graph([], [], [], [])
        self.ids: dict[int, int] = {}  # tflite tensor index -> graph tensor id
        self.op: TflOp | None = None  # the op being lowered, for messages
        self.read_by_folded: set[int] = set()  # tflite tensors read by ops folded offline
        self.collapsible = self._collapsible()
        self.folded_pad_ops: set[int] = set()  # PAD op indices not emitted (_pad_folds)
        # CONV_2D/DEPTHWISE_CONV_2D op index -> (PAD input tensor, (top, bottom, left, right)): a PAD
        # folded into the convolution's own padding.
        self.pad_folds: dict[int, tuple[int, tuple[int, int, int, int]]] = self._pad_folds()
        self.luts: dict[int, Op] = {}  # tflite index of a LUT op's output -> that op, to fuse chains

    # -- tensors -----------------------------------------------------------
    def _fail(self, op: TflOp, t: TflTensor, role: str, why: str) -> ConvertError:
        return ConvertError(f"{op.describe()}: {role} {t.describe()} {why}")

    def activation(self, op: TflOp, index: int, role: str, dtype: str = "INT8", scalar: bool = False) -> TflTensor:
        """An operand of type `dtype`, checked; `scalar`: a rank-0 tensor is
        taken (an element-wise operand: it broadcasts as a one-element one)."""
        t = self.model.tensors[index]
        if t.dtype != dtype:
            return self._raise(op, t, role, f"has type {t.dtype}; supported: {dtype} here")
        if dtype == "INT8":
            if not t.quantized or t.scales.size != 1:
                how = "per-channel" if t.quantized else "no"
                return self._raise(op, t, role, f"has {how} quantization; supported: per-tensor scale and zero point")
            if not (t.scales[0] > 0 and np.isfinite(t.scales[0])):
                return self._raise(op, t, role, f"has scale {t.scales[0]}; supported: a finite positive scale")
        if not t.shape and not scalar:
            return self._raise(op, t, role, f"is a scalar; supported: rank 1 to {limits.MAX_DIMS}")
        if not (t.index in self.collapsible and len(t.shape) <= movement.MAX_RANK):
            self.limit(len(t.shape) <= limits.MAX_DIMS, t, role, f"rank {len(t.shape)}", "TRT_MAX_DIMS")
        return t

    def _raise(self, op: TflOp, t: TflTensor, role: str, why: str) -> TflTensor:
        raise self._fail(op, t, role, why)

    def limit(self, ok: bool, t: TflTensor, role: str, what: str, name: str) -> None:
        """Refuse what the loader would refuse: `what` exceeds the limit `name` of limits.h."""
        if not ok:
            where = self.op.describe() if self.op is not None else "graph"
            raise ConvertError(f"{where}: {role} {t.describe()}: {what} exceeds the runtime limit "
                               f"{name} = {limits.ALL[name]}")

    def tensor_id(self, t: TflTensor) -> int:
        if t.index not in self.ids:
            if t.dtype not in _DTYPES:  # a graph input no op reads (ops check their operands' types)
                where = self.op.describe() if self.op is not None else "graph"
                raise ConvertError(f"{where}: {t.describe()} has type {t.dtype}; supported: {', '.join(_DTYPES)}")
            # A tensor only data movement touches may have rank 5 or 6: COPY
            # reads and writes flat element indices, so the blob stores it
            # with its leading dims merged.
            shape = t.shape
            if t.index in self.collapsible and limits.MAX_DIMS < len(shape) <= movement.MAX_RANK:
                shape = (math.prod(shape[:-limits.MAX_DIMS + 1]), *shape[-limits.MAX_DIMS + 1:])
            self.limit(len(shape) <= limits.MAX_DIMS, t, "tensor", f"rank {len(shape)}", "TRT_MAX_DIMS")
            for d in shape:
                self.limit(1 <= d <= limits.MAX_DIM, t, "tensor", f"dim {d}", "TRT_MAX_DIM")
            count = math.prod(shape)  # Python ints: no int64 wrap-around
            self.limit(count <= limits.MAX_ELEMENTS, t, "tensor", f"{count} elements", "TRT_MAX_ELEMENTS")
            scale = float(t.scales[0]) if t.quantized and t.scales.size == 1 else 0.0
            zp = int(t.zero_points[0]) if t.quantized and t.scales.size == 1 else 0
            data = t.data if t.data is not None and t.index not in self.model.inputs else None
            # A scalar is a one-element tensor (broadcasting treats them alike).
            shape = shape or (1,)
            self.ids[t.index] = self.add(
                Tensor(t.name, _DTYPES[t.dtype], shape, scale, zp, None if data is None else data.reshape(shape),
                       persistent=t.variable and data is None)
            )
        return self.ids[t.index]

    def add(self, tensor: Tensor) -> int:
        self.graph.tensors.append(tensor)
        return len(self.graph.tensors) - 1

    def const(self, name: str, data: np.ndarray) -> int:
        dtype = {np.dtype(np.int8): DType.INT8, np.dtype(np.int32): DType.INT32}[data.dtype]
        return self.add(Tensor(name, dtype, tuple(data.shape), data=np.ascontiguousarray(data)))

    def weights(self, op: TflOp, index: int, channels: int, axis: int) -> TflTensor:
        t = self.model.tensors[index]
        if t.dtype != "INT8" or t.data is None:
            what = "a non-constant" if t.data is None else f"a {t.dtype}"
            return self._raise(op, t, "filter", f"is {what} tensor; supported: constant INT8 weights")
        if not t.quantized or t.scales.size not in (1, channels) or np.any(t.zero_points != 0):
            return self._raise(
                op, t, "filter", "quantization unsupported; supported: symmetric INT8 (zero point 0), per-tensor "
                f"or per-channel along the output axis ({channels} scales)"
            )
        if t.scales.size > 1 and t.axis != axis:
            return self._raise(op, t, "filter", f"is quantized along axis {t.axis}; supported: axis {axis}")
        return t

    def bias(self, op: TflOp, index: int, channels: int) -> np.ndarray | None:
        if index < 0:
            return None
        t = self.model.tensors[index]
        if t.dtype != "INT32" or t.data is None or t.data.size != channels:
            return self._raise(op, t, "bias", f"unsupported; supported: constant INT32 with {channels} values")
        return t.data.astype(np.int64).reshape(-1)

    # -- ops ---------------------------------------------------------------
    def _collapsible(self) -> set[int]:
        """Tensors that only data movement (COPY), reshapes and shape
        arithmetic touch, graph inputs and outputs excepted: they may have
        rank 5 or 6 (tensor_id stores them with merged leading dims)."""
        m = self.model
        touched: dict[int, set[str]] = {}
        for op in m.ops:
            for i in op.inputs + op.outputs:
                touched.setdefault(i, set()).add(op.name)
        return {i for i, names in touched.items() if names <= _RANK_FREE_OPS} - set(m.inputs) - set(m.outputs)

    def _pad_folds(self) -> dict[int, tuple[int, tuple[int, int, int, int]]]:
        """PADs that a convolution's own padding does exactly: a PAD (or PADV2
        of the output zero point) of H and W only, quantized alike in and out,
        whose output only a CONV_2D or DEPTHWISE_CONV_2D reads as its input.
        TFLM's convolutions skip the taps outside the input, which is what
        padding with the input zero point contributes ((zp - zp) * w = 0), so
        the convolution reads the PAD's input with pad_top/pad_left = the
        leading paddings plus its own (SAME's, on the padded size); the
        trailing ones only set the output size."""
        m = self.model
        readers: dict[int, list[tuple[TflOp, int]]] = {}
        for op in m.ops:
            for k, i in enumerate(op.inputs):
                readers.setdefault(i, []).append((op, k))
        folds: dict[int, tuple[int, tuple[int, int, int, int]]] = {}
        for op in m.ops:
            if op.name not in ("PAD", "PADV2") or len(op.outputs) != 1 or op.outputs[0] in m.outputs:
                continue
            x, y = m.tensors[op.inputs[0]], m.tensors[op.outputs[0]]
            users = readers.get(op.outputs[0], [])
            p = self._const(op.inputs[1])
            if (len(users) != 1 or users[0][1] != 0 or users[0][0].name not in ("CONV_2D", "DEPTHWISE_CONV_2D")
                    or users[0][0].options.get("padding") not in ("VALID", "SAME") or p is None or p.size != 8
                    or len(x.shape) != 4 or x.dtype != "INT8" or not x.quantized or x.scales.size != 1
                    or not _same_quant(x, y)):
                continue
            pads = [int(v) for v in p.reshape(-1)]
            padded = (x.shape[0], x.shape[1] + pads[2] + pads[3], x.shape[2] + pads[4] + pads[5], x.shape[3])
            if pads[0] or pads[1] or pads[6] or pads[7] or min(pads) < 0 or y.shape != padded:
                continue  # lowered as a COPY, whose checks name what is wrong
            if op.name == "PADV2":
                v = self._const(op.inputs[2])
                if v is None or v.size != 1 or int(v.reshape(-1)[0]) != int(y.zero_points[0]):
                    continue
            folds[users[0][0].index] = (op.inputs[0], (pads[2], pads[3], pads[4], pads[5]))
            self.folded_pad_ops.add(op.index)
        return folds

    def lower(self) -> Graph:
        for op in self.model.ops:
            self.op = op
            if op.index in self.folded_pad_ops:
                continue
            if not self._fold_constant(op):
                getattr(self, "op_" + op.name.lower())(op)
        self.op = None
        for i in self.model.outputs:
            t = self.model.tensors[i]
            if t.data is not None and i not in self.model.inputs:
                raise ConvertError(f"graph output {t.describe()} is computed from constants only (folded offline); "
                                   "supported: outputs computed by a tinyrt op")
        self.graph.inputs = [self.tensor_id(self.model.tensors[i]) for i in self.model.inputs]
        self.graph.outputs = [self.tensor_id(self.model.tensors[i]) for i in self.model.outputs]
        self._prune()
        return self.graph

    def _prune(self) -> None:
        """Drop the ops whose outputs only folded shape ops read (a Keras
        squeeze whose result feeds SHAPE alone), and the tensors no op uses
        (those too of the inner links of fused LUT chains)."""
        g = self.graph
        tfl_index = {gid: ti for ti, gid in self.ids.items()}
        droppable = {self.ids[i] for i in self.read_by_folded if i in self.ids}
        needed = set(g.outputs)
        kept: list[Op] = []
        for op in reversed(g.ops):
            if not any(o in needed for o in op.outputs) and all(o in droppable for o in op.outputs):
                droppable.update(i for i in op.inputs if i >= 0 and i in tfl_index)
                continue
            needed.update(i for i in op.inputs if i >= 0)
            kept.append(op)
        kept.reverse()
        used = sorted(set(g.inputs) | set(g.outputs) | {i for op in kept for i in op.inputs + op.outputs if i >= 0})
        if len(kept) == len(g.ops) and len(used) == len(g.tensors):
            return
        new_id = {old: k for k, old in enumerate(used)}
        for op in kept:
            op.inputs = [new_id[i] if i >= 0 else i for i in op.inputs]
            op.outputs = [new_id[i] for i in op.outputs]
        self.graph = Graph([g.tensors[i] for i in used], kept, [new_id[i] for i in g.inputs],
                           [new_id[i] for i in g.outputs])

    # -- offline folding ---------------------------------------------------
    def _const(self, index: int) -> np.ndarray | None:
        """A tensor's constant value (a constant or an already folded tensor); None for activations."""
        if index < 0 or index in self.model.inputs:
            return None
        return self.model.tensors[index].data

    def _fold_constant(self, op: TflOp) -> bool:
        """Compute the op offline when its result depends on constants and
        static shapes only: its output becomes a constant tensor and no op is
        emitted. SHAPE always folds (static shapes); STRIDED_SLICE, PACK,
        GATHER, CONCATENATION, RESHAPE, SQUEEZE, EXPAND_DIMS when every input
        is constant and the bytes are copied unchanged (INT32/INT64, or the
        output quantized as the inputs); ADD and MUL of constant INT32 inputs
        without activation. True when folded."""
        folder = _FOLDERS.get(op.name)
        if folder is None or len(op.outputs) != 1:
            return False
        out = self.model.tensors[op.outputs[0]]
        ins = [self.model.tensors[i] for i in op.inputs if i >= 0]
        if op.name != "SHAPE":
            values = [self._const(i) for i in op.inputs if i >= 0]
            if any(v is None for v in values):
                return False
            if op.name in ("ADD", "MUL"):
                if out.dtype != "INT32" or any(t.dtype != "INT32" for t in ins) or \
                        str(op.options.get("activation", "NONE")) != "NONE":
                    return False
            elif out.dtype not in ("INT32", "INT64"):
                # Data movement: folded only where the bytes are copied unchanged.
                data_ins = ins if op.name in ("PACK", "CONCATENATION") else ins[:1]
                if any(not _same_quant(t, out) for t in data_ins):
                    return False
        try:
            value = folder(self, op, ins)
        except (IndexError, ValueError) as exc:
            raise ConvertError(f"{op.describe()}: output {out.describe()} cannot be folded: {exc}") from None
        if value is None:
            return False
        self.read_by_folded.update(i for i in op.inputs if i >= 0)
        dtype = np.dtype(_NUMPY_TYPES.get(out.dtype, np.float64))
        if out.dtype not in _NUMPY_TYPES or value.dtype != dtype:
            raise ConvertError(f"{op.describe()}: output {out.describe()} folds to {value.dtype} values; "
                               f"supported: the output's type")
        if value.size != math.prod(out.shape):
            raise ConvertError(f"{op.describe()}: output {out.describe()} folds to shape {list(value.shape)}; "
                               "supported: the output's declared shape")
        self.model.tensors[out.index] = replace(out, data=value.reshape(out.shape))
        return True

    def _not_constant(self, op: TflOp) -> None:
        """A shape op that could not be folded: name the first non-constant input."""
        for k, i in enumerate(op.inputs):
            if i >= 0 and self._const(i) is None:
                t = self.model.tensors[i]
                raise self._fail(op, t, f"input {k}", "is not constant; supported: constant or shape-only inputs "
                                 "(computed offline, never on the device)")
        raise ConvertError(f"{op.describe()}: cannot be folded; supported: constant or shape-only inputs")

    def op_shape(self, op: TflOp) -> None:
        self._not_constant(op)

    def op_squeeze(self, op: TflOp) -> None:
        self.op_reshape(op)

    def op_expand_dims(self, op: TflOp) -> None:
        self.op_reshape(op)

    def emit(self, op: TflOp, type_: OpType, inputs: list[int], outs: TflTensor | list[TflTensor],
             **params: int) -> Op:
        spec = PARAMS[type_]
        if spec is not None:
            params = {k: int(v) for k, v in params.items()}
            spec.pack(**params)  # every field present, nothing extra
        out_list = outs if isinstance(outs, list) else [outs]
        for what, n in (("inputs", len(inputs)), ("outputs", len(out_list))):
            self.limit(n <= limits.MAX_OP_OPERANDS, out_list[0], "output", f"{n} {what}", "TRT_MAX_OP_OPERANDS")
        outputs = [self.tensor_id(t) for t in out_list]
        lowered = Op(type_, inputs, outputs, params, source=op.describe())
        self.graph.ops.append(lowered)
        return lowered

    def window(self, t: TflTensor, **sizes: int) -> None:
        """Strides, dilations, filter and pooling windows, paddings: at most TRT_MAX_WINDOW."""
        for what, v in sizes.items():
            self.limit(v <= limits.MAX_WINDOW, t, "input", f"{what} {v}", "TRT_MAX_WINDOW")

    def shifts(self, t: TflTensor, role: str, shifts: Any) -> None:
        """Requantization shifts inside [TRT_MIN_SHIFT, TRT_MAX_SHIFT]: a scale
        ratio of about 2**31 or more (or its inverse) has none."""
        arr = np.atleast_1d(np.asarray(shifts))
        lo, hi = int(arr.min()), int(arr.max())
        self.limit(lo >= limits.MIN_SHIFT, t, role, f"requantization shift {lo}", "TRT_MIN_SHIFT")
        self.limit(hi <= limits.MAX_SHIFT, t, role, f"requantization shift {hi}", "TRT_MAX_SHIFT")

    def _act(self, op: TflOp, out: TflTensor) -> tuple[int, int]:
        act = str(op.options.get("activation", "NONE"))
        if act not in quant.ACTIVATIONS:
            raise ConvertError(f"{op.describe()}: fused activation {act}; supported: {', '.join(quant.ACTIVATIONS)}")
        try:
            return quant.activation_range(act, float(out.scales[0]), int(out.zero_points[0]))
        except ValueError as exc:
            raise self._fail(op, out, "output", f"with fused activation {act}: {exc}") from None

    def _window(self, op: TflOp, inp: TflTensor, out: TflTensor, kh: int, kw: int, dh: int, dw: int,
                folded: tuple[int, int, int, int] = (0, 0, 0, 0)) -> tuple[int, int]:
        """(pad_top, pad_left); `folded` is a PAD folded in front of the
        window: (top, bottom, left, right) added to the input's H and W."""
        if op.options["padding"] not in ("SAME", "VALID"):
            raise ConvertError(f"{op.describe()}: padding {op.options['padding']}; supported: SAME, VALID")
        sh, sw = int(op.options["stride_h"]), int(op.options["stride_w"])
        for what, v in (("stride", sh), ("stride", sw), ("dilation", dh), ("dilation", dw)):
            if v < 1:
                raise ConvertError(f"{op.describe()}: input {inp.describe()}: {what} {v}; supported: 1 or more")
        self.window(inp, stride=max(sh, sw), dilation=max(dh, dw), window=max(kh, kw))
        pads = []
        for axis, k, d, stride in ((1, kh, dh, sh), (2, kw, dw, sw)):
            lo, hi = folded[2 * axis - 2], folded[2 * axis - 1]
            size, pad = quant.windowed_output(str(op.options["padding"]), inp.shape[axis] + lo + hi, k, int(stride), d)
            pad += lo
            if size != out.shape[axis] or size < 1:
                raise ConvertError(
                    f"{op.describe()}: output {out.describe()} has {out.shape[axis]} on axis {axis}; "
                    f"{op.options['padding']} padding gives {size}"
                )
            pads.append(pad)
        self.window(inp, padding=max(pads))
        return pads[0], pads[1]

    def _conv(self, op: TflOp, depthwise: bool) -> None:
        source, folded = self.pad_folds.get(op.index, (op.inputs[0], (0, 0, 0, 0)))
        inp = self.activation(op, source, "input")
        out = self.activation(op, op.outputs[0], "output")
        if len(inp.shape) != 4 or len(out.shape) != 4:
            raise ConvertError(f"{op.describe()}: input and output must be 4-D NHWC")
        if inp.shape[0] != out.shape[0]:
            raise ConvertError(f"{op.describe()}: output {out.describe()} has batch {out.shape[0]}, input "
                               f"{inp.describe()} {inp.shape[0]}; supported: the same batch")
        cout = out.shape[3]
        w = self.weights(op, op.inputs[1], cout, 3 if depthwise else 0)
        if len(w.shape) != 4:
            raise ConvertError(f"{op.describe()}: filter {w.describe()} must be 4-D")
        bias = self.bias(op, op.inputs[2] if len(op.inputs) > 2 else -1, cout)
        dh, dw = int(op.options["dilation_h"]), int(op.options["dilation_w"])
        kh, kw = w.shape[1], w.shape[2]
        pad_top, pad_left = self._window(op, inp, out, kh, kw, dh, dw, folded)
        mult, shift = quant.conv_multipliers(float(inp.scales[0]), w.scales, float(out.scales[0]))
        self.shifts(out, "output", shift)
        if depthwise:
            dm = cout // inp.shape[3]
            if w.shape[0] != 1 or w.shape[3] != cout or dm * inp.shape[3] != cout:
                raise ConvertError(f"{op.describe()}: filter {w.describe()} does not match {cout} output channels")
            tap_sums = w.data.astype(np.int64).sum(axis=(0, 1, 2))
        else:
            dm = 1
            if w.shape[0] != cout or w.shape[3] != inp.shape[3]:
                raise ConvertError(f"{op.describe()}: filter {w.describe()} does not match input and output")
            tap_sums = w.data.astype(np.int64).sum(axis=(1, 2, 3))
        act_min, act_max = self._act(op, out)
        # Folding -zp * sum(w) into the bias is exact only when no window
        # reads padding, which TFLM skips instead of treating as zero point.
        reads_padding = pad_top > 0 or pad_left > 0 or any(
            (out.shape[a] - 1) * op.options[s] + (k - 1) * d + 1 > inp.shape[a]
            for a, k, d, s in ((1, kh, dh, "stride_h"), (2, kw, dw, "stride_w"))
        )
        taps = kh * kw * (1 if depthwise else inp.shape[3])
        input_offset, bias_ids = self._fold(op, w, -int(inp.zero_points[0]), bias, tap_sums, taps, not reads_padding)
        self.emit(
            op,
            OpType.DEPTHWISE_CONV_2D if depthwise else OpType.CONV_2D,
            [self.tensor_id(inp), self.const_weights(w), bias_ids, self.const(w.name + "/mult", mult),
             self.const(w.name + "/shift", shift)],
            out,
            stride_h=op.options["stride_h"], stride_w=op.options["stride_w"], dilation_h=dh, dilation_w=dw,
            pad_top=pad_top, pad_left=pad_left, input_offset=input_offset,
            output_offset=int(out.zero_points[0]), act_min=act_min, act_max=act_max, depth_multiplier=dm,
        )

    def const_weights(self, w: TflTensor) -> int:
        assert w.data is not None
        return self.tensor_id(w)

    def _fold(
        self, op: TflOp, w: TflTensor, input_offset: int, bias: np.ndarray | None, tap_sums: np.ndarray, taps: int,
        exact: bool,
    ) -> tuple[int, int]:
        """(input_offset, bias tensor id): the offset folded into the bias when
        exact and the folded bias keeps the loader's accumulator bound
        (taps * TRT_MAX_PRODUCT + |bias| inside int32)."""
        base = bias if bias is not None else np.zeros(tap_sums.size, np.int64)
        folded = base + input_offset * tap_sums
        if exact and input_offset != 0 and np.abs(folded).max() + taps * limits.MAX_PRODUCT <= limits.INT32_MAX:
            return 0, self.const(w.name + "/bias_folded", folded.astype(np.int32))
        largest = int(np.abs(base).max()) if base.size else 0
        self.limit(taps * limits.MAX_PRODUCT + largest <= limits.INT32_MAX, w, "filter",
                   f"{taps} products per output (largest |bias| {largest}) times TRT_MAX_PRODUCT", "TRT_MAX_PRODUCT")
        if bias is None:
            return input_offset, -1
        return input_offset, self.const(w.name + "/bias", bias.astype(np.int32))

    def op_conv_2d(self, op: TflOp) -> None:
        self._conv(op, depthwise=False)

    def op_transpose_conv(self, op: TflOp) -> None:
        """TFLM's int8 TRANSPOSE_CONV: inputs [output_shape, filter, input,
        bias]; the output shape must be constant (folded offline) and equal
        the output's. Prepare pads as for a convolution whose input is this
        op's output (ComputePaddingHeightWidth over the output size, stride,
        filter); the multipliers are CONV_2D's. The input zero point stays
        in the kernel: outputs near the edges receive fewer taps."""
        shape_t = self.model.tensors[op.inputs[0]]
        inp = self.activation(op, op.inputs[2], "input")
        out = self.activation(op, op.outputs[0], "output")
        if len(inp.shape) != 4 or len(out.shape) != 4:
            raise ConvertError(f"{op.describe()}: input and output must be 4-D NHWC")
        shape = self._const(op.inputs[0])
        if shape is None or shape_t.dtype != "INT32" or tuple(int(d) for d in shape.reshape(-1)) != out.shape:
            return self._raise(op, shape_t, "output_shape", f"is not the constant {list(out.shape)} of output "
                               f"{out.describe()}; supported: a constant INT32 output shape equal to the output's")
        if inp.shape[0] != out.shape[0]:
            raise ConvertError(f"{op.describe()}: output {out.describe()} has batch {out.shape[0]}, input "
                               f"{inp.describe()} {inp.shape[0]}; supported: the same batch")
        cout, cin = out.shape[3], inp.shape[3]
        w = self.weights(op, op.inputs[1], cout, 0)
        assert w.data is not None
        if len(w.shape) != 4 or w.shape[0] != cout or w.shape[3] != cin:
            raise ConvertError(f"{op.describe()}: filter {w.describe()} does not match input and output; "
                               f"supported: [{cout}, KH, KW, {cin}]")
        bias = self.bias(op, op.inputs[3] if len(op.inputs) > 3 else -1, cout)
        if op.options["padding"] not in ("SAME", "VALID"):
            raise ConvertError(f"{op.describe()}: padding {op.options['padding']}; supported: SAME, VALID")
        sh, sw = int(op.options["stride_h"]), int(op.options["stride_w"])
        if sh < 1 or sw < 1:
            raise ConvertError(f"{op.describe()}: input {inp.describe()}: stride {min(sh, sw)}; supported: 1 or more")
        kh, kw = w.shape[1], w.shape[2]
        self.window(inp, stride=max(sh, sw), window=max(kh, kw))
        pad_top = quant.windowed_output(str(op.options["padding"]), out.shape[1], kh, sh)[1]
        pad_left = quant.windowed_output(str(op.options["padding"]), out.shape[2], kw, sw)[1]
        self.window(inp, padding=max(pad_top, pad_left))
        mult, shift = quant.conv_multipliers(float(inp.scales[0]), w.scales, float(out.scales[0]))
        self.shifts(out, "output", shift)
        act_min, act_max = self._act(op, out)
        # An output sums at most ceil(KH / stride_h) * ceil(KW / stride_w) taps of Cin products.
        taps = -(-kh // sh) * -(-kw // sw) * cin
        input_offset, bias_id = self._fold(op, w, -int(inp.zero_points[0]), bias, np.zeros(cout, np.int64), taps,
                                           False)
        lowered = self.emit(
            op, OpType.TRANSPOSE_CONV,
            [self.tensor_id(inp), self.const_weights(w), bias_id, self.const(w.name + "/mult", mult),
             self.const(w.name + "/shift", shift)],
            out, stride_h=sh, stride_w=sw, pad_top=pad_top, pad_left=pad_left, input_offset=input_offset,
            output_offset=int(out.zero_points[0]), act_min=act_min, act_max=act_max,
        )
        lowered.scratch_bytes = _kernel_scratch("trt_tconv_s8_scratch_size", out.shape)
        return None

    def op_depthwise_conv_2d(self, op: TflOp) -> None:
        self._conv(op, depthwise=True)

    def op_fully_connected(self, op: TflOp) -> None:
        inp = self.activation(op, op.inputs[0], "input")
        out = self.activation(op, op.outputs[0], "output")
        w_t = self.model.tensors[op.inputs[1]]
        if len(w_t.shape) != 2:
            raise ConvertError(f"{op.describe()}: filter {w_t.describe()} must be 2-D [out, in]")
        cout, cin = w_t.shape
        w = self.weights(op, op.inputs[1], cout, 0)
        bias = self.bias(op, op.inputs[2] if len(op.inputs) > 2 else -1, cout)
        if math.prod(inp.shape) % cin or math.prod(out.shape) != math.prod(inp.shape) // cin * cout:
            raise ConvertError(f"{op.describe()}: shapes of input {inp.describe()} and output {out.describe()} "
                               f"do not match filter {w.describe()}")
        mult, shift = quant.fc_multipliers(float(inp.scales[0]), w.scales, float(out.scales[0]))
        self.shifts(out, "output", shift)
        act_min, act_max = self._act(op, out)
        assert w.data is not None
        input_offset, bias_id = self._fold(
            op, w, -int(inp.zero_points[0]), bias, w.data.astype(np.int64).sum(axis=1), cin, True
        )
        self.emit(
            op, OpType.FULLY_CONNECTED,
            [self.tensor_id(inp), self.const_weights(w), bias_id, self.const(w.name + "/mult", mult),
             self.const(w.name + "/shift", shift)],
            out, input_offset=input_offset, output_offset=int(out.zero_points[0]), act_min=act_min, act_max=act_max,
        )

    def _pool(self, op: TflOp, type_: OpType) -> None:
        inp = self.activation(op, op.inputs[0], "input")
        out = self.activation(op, op.outputs[0], "output")
        if len(inp.shape) != 4 or len(out.shape) != 4:
            raise ConvertError(f"{op.describe()}: input and output must be 4-D NHWC")
        if inp.scales[0] != out.scales[0] or inp.zero_points[0] != out.zero_points[0]:
            raise ConvertError(
                f"{op.describe()}: output {out.describe()} is quantized differently from input {inp.describe()}; "
                "supported: the same scale and zero point"
            )
        if inp.shape[0] != out.shape[0] or inp.shape[3] != out.shape[3]:
            raise ConvertError(f"{op.describe()}: output {out.describe()} differs from input {inp.describe()} in "
                               "batch or channels; supported: the input's batch and channels")
        fh, fw = int(op.options["filter_h"]), int(op.options["filter_w"])
        if fh < 1 or fw < 1:
            raise ConvertError(f"{op.describe()}: input {inp.describe()}: pooling window {fh}x{fw}; "
                               "supported: 1 or more on each axis")
        pad_top, pad_left = self._window(op, inp, out, fh, fw, 1, 1)
        act_min, act_max = self._act(op, out)
        self.emit(
            op, type_, [self.tensor_id(inp)], out, stride_h=op.options["stride_h"], stride_w=op.options["stride_w"],
            filter_h=fh, filter_w=fw, pad_top=pad_top, pad_left=pad_left, act_min=act_min, act_max=act_max,
        )

    def op_average_pool_2d(self, op: TflOp) -> None:
        self._pool(op, OpType.AVERAGE_POOL_2D)

    def op_max_pool_2d(self, op: TflOp) -> None:
        self._pool(op, OpType.MAX_POOL_2D)

    def op_add(self, op: TflOp) -> None:
        self._add_sub(op, OpType.ADD)

    def op_sub(self, op: TflOp) -> None:
        """TFLM's int8 SUB has ADD's Prepare (CalculateOpDataSub) and ADD's
        arithmetic with the rounded scaled input 2 subtracted: ADD's params,
        op SUB. Negating input 2's multiplier offline would round exact
        halves the other way, so it is not lowered to ADD."""
        self._add_sub(op, OpType.SUB)

    def _add_sub(self, op: TflOp, type_: OpType) -> None:
        a = self.activation(op, op.inputs[0], "input1", scalar=True)
        b = self.activation(op, op.inputs[1], "input2", scalar=True)
        out = self.activation(op, op.outputs[0], "output")
        self._broadcast(op, out, (a, "input1"), (b, "input2"))
        act = str(op.options.get("activation", "NONE"))
        self._act(op, out)
        s1, s2, s_out = (quant.f32(float(t.scales[0])) for t in (a, b, out))
        ratio = 2.0 * max(s1, s2) / ((1 << quant.ADD_LEFT_SHIFT) * s_out)
        if not ratio < 1.0:
            raise self._fail(op, out, "output", f"has scale {s_out:g}, too small for inputs of scales {s1:g} and "
                             f"{s2:g}: 2 * max(input scales) / (2**{quant.ADD_LEFT_SHIFT} * output scale) = "
                             f"{ratio:g}; supported: below 1")
        params = quant.add_params(float(a.scales[0]), int(a.zero_points[0]), float(b.scales[0]),
                                  int(b.zero_points[0]), float(out.scales[0]), int(out.zero_points[0]), act)
        self.shifts(out, "output", [params["input1_shift"], params["input2_shift"], params["output_shift"]])
        self.emit(op, type_, [self.tensor_id(a), self.tensor_id(b)], out, **params)

    def _same_elements(self, op: TflOp, inp: TflTensor, out: TflTensor, same_shape: bool = False) -> None:
        """Element-wise ops: as many elements in the output as in the input
        (and the same shape where the op keeps it)."""
        if math.prod(inp.shape) != math.prod(out.shape) or (same_shape and inp.shape != out.shape):
            what = "shape" if same_shape else "element count"
            raise ConvertError(f"{op.describe()}: output {out.describe()} differs from input {inp.describe()} in "
                               f"{what}; supported: the input's {what}")

    def _broadcast(self, op: TflOp, out: TflTensor, *inputs: tuple[TflTensor, str]) -> None:
        rank = len(out.shape)
        for t, role in inputs:
            padded = (1,) * (rank - len(t.shape)) + t.shape
            if len(t.shape) > rank or any(d not in (1, o) for d, o in zip(padded, out.shape, strict=True)):
                raise ConvertError(f"{op.describe()}: {role} {t.describe()} does not broadcast to {out.describe()}")

    def op_mul(self, op: TflOp) -> None:
        a = self.activation(op, op.inputs[0], "input1", scalar=True)
        b = self.activation(op, op.inputs[1], "input2", scalar=True)
        out = self.activation(op, op.outputs[0], "output")
        self._broadcast(op, out, (a, "input1"), (b, "input2"))
        self._act(op, out)
        real = quant.f32(float(a.scales[0])) * quant.f32(float(b.scales[0])) / quant.f32(float(out.scales[0]))
        self.shifts(out, "output", quant.quantize_multiplier(real)[1])
        params = quant.mul_params(float(a.scales[0]), int(a.zero_points[0]), float(b.scales[0]),
                                  int(b.zero_points[0]), float(out.scales[0]), int(out.zero_points[0]),
                                  str(op.options.get("activation", "NONE")))
        self.emit(op, OpType.MUL, [self.tensor_id(a), self.tensor_id(b)], out, **params)

    def op_maximum(self, op: TflOp) -> None:
        self._min_max(op, OpType.MAXIMUM)

    def op_minimum(self, op: TflOp) -> None:
        self._min_max(op, OpType.MINIMUM)

    def _min_max(self, op: TflOp, type_: OpType) -> None:
        """TFLM's maximum_minimum.cc compares the raw int8 values and ignores
        quantization, which means max/min of the real values only when both
        inputs and the output share one scale and zero point (the TF
        converter always gives them one); anything else is refused."""
        a = self.activation(op, op.inputs[0], "input1", scalar=True)
        b = self.activation(op, op.inputs[1], "input2", scalar=True)
        out = self.activation(op, op.outputs[0], "output")
        self._broadcast(op, out, (a, "input1"), (b, "input2"))
        want = (quant.f32(float(out.scales[0])), int(out.zero_points[0]))
        for t, role in ((a, "input1"), (b, "input2")):
            got = (quant.f32(float(t.scales[0])), int(t.zero_points[0]))
            if got != want:
                raise self._fail(op, t, role, f"has scale {got[0]:g} and zero point {got[1]}, the output "
                                 f"{out.describe()} scale {want[0]:g} and zero point {want[1]}; TFLM compares "
                                 "the raw int8 values, so supported: inputs quantized exactly as the output")
        self.emit(op, type_, [self.tensor_id(a), self.tensor_id(b)], out)

    def op_prelu(self, op: TflOp) -> None:
        """TFLM's int8 PRELU: two multipliers (x >= 0: s_in / s_out; x < 0:
        s_in * s_alpha / s_out on x * alpha), alpha broadcast."""
        inp = self.activation(op, op.inputs[0], "input")
        alpha = self.activation(op, op.inputs[1], "alpha")
        out = self.activation(op, op.outputs[0], "output")
        self._broadcast(op, out, (inp, "input"), (alpha, "alpha"))
        params = self._prepare(op, out, quant.prelu_params, float(inp.scales[0]), int(inp.zero_points[0]),
                               float(alpha.scales[0]), int(alpha.zero_points[0]), float(out.scales[0]),
                               int(out.zero_points[0]))
        self.shifts(out, "output", [params["output_shift_1"], params["output_shift_2"]])
        self.emit(op, OpType.PRELU, [self.tensor_id(inp), self.tensor_id(alpha)], out, **params)

    def op_squared_difference(self, op: TflOp) -> None:
        """TFLM's int8 SQUARED_DIFFERENCE: ADD's input scaling with left shift
        7, the difference squared and rescaled; ADD's params struct."""
        a = self.activation(op, op.inputs[0], "input1", scalar=True)
        b = self.activation(op, op.inputs[1], "input2", scalar=True)
        out = self.activation(op, op.outputs[0], "output")
        self._broadcast(op, out, (a, "input1"), (b, "input2"))
        params = self._prepare(op, out, quant.squared_difference_params, float(a.scales[0]), int(a.zero_points[0]),
                               float(b.scales[0]), int(b.zero_points[0]), float(out.scales[0]),
                               int(out.zero_points[0]))
        self.shifts(out, "output", [params["input1_shift"], params["input2_shift"], params["output_shift"]])
        self.emit(op, OpType.SQUARED_DIFFERENCE, [self.tensor_id(a), self.tensor_id(b)], out, **params)

    # -- int8 -> int8 unary functions: one LUT op, the table computed here --
    def _lut(self, op: TflOp, fixed_output: tuple[float, int] | None = None) -> tuple[TflTensor, TflTensor]:
        """Input and output of a unary int8 function (same shape); with
        fixed_output, the output quantization TFLM's kernel produces
        whatever the tensor says, which is then required."""
        inp = self.activation(op, op.inputs[0], "input")
        out = self.activation(op, op.outputs[0], "output")
        self._same_elements(op, inp, out, same_shape=True)
        if fixed_output is not None:
            scale, zp = fixed_output
            if quant.f32(float(out.scales[0])) != quant.f32(scale) or int(out.zero_points[0]) != zp:
                raise self._fail(op, out, "output", f"has scale {float(out.scales[0]):g} and zero point "
                                 f"{int(out.zero_points[0])}; TFLM's int8 {op.name} writes scale {scale:g}, zero "
                                 f"point {zp}, so supported: that quantization")
        return inp, out

    def _emit_lut(self, op: TflOp, inp: TflTensor, out: TflTensor, fn: Any, **params: int) -> None:
        """The LUT op: the function (a tinyrt.ref kernel with TFLM's
        arithmetic) evaluated on the 256 int8 values, a constant table. A
        LUT whose input is a LUT's output read by nothing else joins it:
        f2(f1(x)) is one table, composed here, one pass at run time."""
        try:
            table = np.asarray(fn(TABLE_INPUTS, **params), np.int8).reshape(256)
        except ValueError as exc:
            raise self._fail(op, out, "output", f"cannot be computed as {_oracle(op.name)} does: {exc}") from None
        first = self.luts.pop(inp.index, None)
        readers = sum(inp.index in o.inputs for o in self.model.ops)
        if first is not None and readers == 1 and inp.index not in self.model.outputs:
            first_table = self.graph.tensors[first.inputs[1]]
            assert first_table.data is not None
            first_table.data = table[first_table.data.view(np.uint8)]
            first.outputs, first.source = [self.tensor_id(out)], f"{first.source} + {op.describe()}"
            self.luts[out.index] = first
            return
        lowered = self.emit(op, OpType.LUT, [self.tensor_id(inp), self.const(f"{out.name}/table", table)], out)
        self.luts[out.index] = lowered

    def _prepare(self, op: TflOp, out: TflTensor, fn: Any, *args: Any) -> dict[str, int]:
        """The oracle's Prepare arithmetic for the op (a quant.*_params
        function); a rescale it cannot represent (not finite: scales at the
        ends of float32) is refused naming the output."""
        try:
            return dict(fn(*args))
        except ValueError as exc:
            raise self._fail(op, out, "output", f"cannot be quantized as {_oracle(op.name)} does: {exc}") from None

    def _scales(self, inp: TflTensor, out: TflTensor) -> tuple[float, int, float, int]:
        return float(inp.scales[0]), int(inp.zero_points[0]), float(out.scales[0]), int(out.zero_points[0])

    def op_relu(self, op: TflOp) -> None:
        inp, out = self._lut(op)
        params = self._prepare(op, out, quant.relu_params, *self._scales(inp, out))
        self.shifts(out, "output", params["shift"])
        self._emit_lut(op, inp, out, ref.relu_s8, **params)

    def op_relu6(self, op: TflOp) -> None:
        """TFLM clamps the raw int8 values to the input's 0 and 6 (the
        output's quantization is not read)."""
        inp, out = self._lut(op)
        try:
            params = quant.relu6_params(float(inp.scales[0]), int(inp.zero_points[0]))
        except ValueError as exc:
            raise self._fail(op, inp, "input", f"quantizes 6.0 outside int32: {exc}") from None
        self._emit_lut(op, inp, out, ref.relu6_s8, **params)

    def op_leaky_relu(self, op: TflOp) -> None:
        inp, out = self._lut(op)
        params = self._prepare(op, out, quant.leaky_relu_params, *self._scales(inp, out),
                               float(op.options.get("alpha", 0.2)))
        self.shifts(out, "output", [params["shift_identity"], params["shift_alpha"]])
        self._emit_lut(op, inp, out, ref.leaky_relu_s8, **params)

    def op_logistic(self, op: TflOp) -> None:
        inp, out = self._lut(op, (1 / 256, -128))
        self._emit_lut(op, inp, out, ref.logistic_s8, **quant.sigmoid_params(float(inp.scales[0]),
                                                                              int(inp.zero_points[0])))

    def op_tanh(self, op: TflOp) -> None:
        inp, out = self._lut(op, (1 / 128, 0))
        self._emit_lut(op, inp, out, ref.tanh_s8, **quant.sigmoid_params(float(inp.scales[0]),
                                                                          int(inp.zero_points[0])))

    def op_hard_swish(self, op: TflOp) -> None:
        inp, out = self._lut(op)
        try:
            params = quant.hard_swish_params(*self._scales(inp, out))
        except ValueError as exc:
            raise self._fail(op, out, "output", f"has scale {float(out.scales[0]):g} for an input of scale "
                             f"{float(inp.scales[0]):g}: {exc}; supported: an output scale above 1/128 of the "
                             "input's, as TFLM requires") from None
        self._emit_lut(op, inp, out, ref.hard_swish_s8, **params)

    def op_abs(self, op: TflOp) -> None:
        inp, out = self._lut(op)
        params = self._prepare(op, out, quant.abs_params, *self._scales(inp, out))
        self.shifts(out, "output", params["shift"])
        self._emit_lut(op, inp, out, ref.abs_s8, **params)

    def op_elu(self, op: TflOp) -> None:
        inp, out = self._lut(op)
        self._emit_lut(op, inp, out, ref.elu_s8, **quant.elu_params(*self._scales(inp, out)))

    def op_rsqrt(self, op: TflOp) -> None:
        """TFLM's int8 RSQRT fails the invocation for an input below the zero
        point; the table holds RSQRT(|x - zp|) there, which no TFLM run can
        contradict."""
        inp, out = self._lut(op)
        params = self._prepare(op, out, quant.rsqrt_params, *self._scales(inp, out))
        self.shifts(out, "output", params["shift"] - quant.RSQRT_SHIFT)
        self._emit_lut(op, inp, out, ref.rsqrt_s8, **params)

    # -- LiteRT's int8 kernels, for functions TFLM has none for -----------------
    def op_exp(self, op: TflOp) -> None:
        inp, out = self._lut(op)
        self._emit_lut(op, inp, out, ref.exp_s8, **quant.exp_params(*self._scales(inp, out)))

    def op_neg(self, op: TflOp) -> None:
        """LiteRT negates the raw int8 value, whatever the quantization."""
        inp, out = self._lut(op)
        self._emit_lut(op, inp, out, ref.neg_s8)

    def op_relu_n1_to_1(self, op: TflOp) -> None:
        inp, out = self._lut(op)
        params = self._prepare(op, out, quant.relu_n1_to_1_params, *self._scales(inp, out))
        self.shifts(out, "output", params["shift"])
        self._emit_lut(op, inp, out, ref.relu_s8, **params)

    def _axis(self, op: TflOp, t: TflTensor, axis: int) -> int:
        if not -len(t.shape) <= axis < len(t.shape):
            raise ConvertError(f"{op.describe()}: axis {axis} is outside {t.describe()}")
        return axis % len(t.shape)

    def op_concatenation(self, op: TflOp) -> None:
        out = self.activation(op, op.outputs[0], "output")
        if str(op.options.get("activation", "NONE")) != "NONE":
            raise ConvertError(f"{op.describe()}: fused activation {op.options['activation']}; supported: NONE")
        axis = self._axis(op, out, int(op.options.get("axis", 0)))
        ins = [self.activation(op, i, f"input{k + 1}") for k, i in enumerate(op.inputs)]
        for t in ins:
            if len(t.shape) != len(out.shape) or any(
                d != o for k, (d, o) in enumerate(zip(t.shape, out.shape, strict=True)) if k != axis
            ):
                raise ConvertError(f"{op.describe()}: input {t.describe()} does not match output {out.describe()} "
                                   f"outside axis {axis}")
        if sum(t.shape[axis] for t in ins) != out.shape[axis]:
            raise ConvertError(f"{op.describe()}: inputs do not add up to output {out.describe()} on axis {axis}")
        requant = quant.concat_input_requant([(float(t.scales[0]), int(t.zero_points[0])) for t in ins],
                                             float(out.scales[0]), int(out.zero_points[0]))
        requant_id = -1
        if requant is not None:
            for t, r in zip(ins, requant, strict=True):
                self.shifts(t, "input", r["shift"])
            table = np.array([[r["input_offset"], r["multiplier"], r["shift"], r["output_offset"]] for r in requant],
                             np.int32)
            requant_id = self.const(f"{out.name}/input_requant", table)
        self.emit(op, OpType.CONCATENATION, [self.tensor_id(t) for t in ins] + [requant_id], out, axis=axis)

    def op_split(self, op: TflOp) -> None:
        axis_t = self.model.tensors[op.inputs[0]]
        inp = self.activation(op, op.inputs[1], "input")
        if axis_t.data is None or axis_t.data.size != 1 or axis_t.dtype != "INT32":
            return self._raise(op, axis_t, "axis", "must be a constant INT32 scalar")
        axis = self._axis(op, inp, int(axis_t.data.reshape(-1)[0]))
        outs = [self.activation(op, i, f"output{k + 1}") for k, i in enumerate(op.outputs)]
        # The bytes are copied whatever the outputs' quantization, as TFLM does
        # (the TFLite converter gives them the input's).
        for t in outs:
            if len(t.shape) != len(inp.shape) or any(
                d != o for k, (d, o) in enumerate(zip(t.shape, inp.shape, strict=True)) if k != axis
            ) or t.shape[axis] * len(outs) != inp.shape[axis]:
                raise ConvertError(f"{op.describe()}: output {t.describe()} is not a 1/{len(outs)} slice of "
                                   f"{inp.describe()} along axis {axis}")
        self.emit(op, OpType.SPLIT, [self.tensor_id(inp)], outs, axis=axis)
        return None

    def op_mean(self, op: TflOp) -> None:
        self._reduce(op, OpType.MEAN)

    def op_sum(self, op: TflOp) -> None:
        """TFLM's int8 SUM is QuantizedMeanOrSum with compute_sum: MEAN's
        arithmetic without the 1/n fold, so MEAN's params and kernel."""
        self._reduce(op, OpType.SUM)

    def op_reduce_max(self, op: TflOp) -> None:
        self._reduce(op, OpType.REDUCE_MAX)

    def op_reduce_min(self, op: TflOp) -> None:
        self._reduce(op, OpType.REDUCE_MIN)

    def _reduce(self, op: TflOp, type_: OpType) -> None:
        """MEAN, SUM, REDUCE_MAX, REDUCE_MIN over a constant set of axes (a
        bitmask of NHWC dims, offline)."""
        inp = self.activation(op, op.inputs[0], "input")
        axes_t = self.model.tensors[op.inputs[1]]
        out_t = self.model.tensors[op.outputs[0]]
        # A reduction over every axis without keep_dims has a scalar output: one element.
        out = self.activation(op, op.outputs[0], "output") if out_t.shape else out_t
        if not out_t.shape and (out.dtype != "INT8" or not out.quantized or out.scales.size != 1):
            self._raise(op, out, "output", "unsupported; supported: INT8 with per-tensor scale and zero point")
        if axes_t.data is None or axes_t.dtype != "INT32" or axes_t.data.size == 0:
            self._raise(op, axes_t, "axes", "must be a constant INT32 tensor of one or more axes")
        rank = len(inp.shape)
        try:
            mask = quant.mean_axes(rank, [int(a) for a in axes_t.data.reshape(-1)])
        except ValueError as exc:
            raise self._fail(op, axes_t, "axes", f"{exc} of input {inp.describe()}") from None
        reduced = [a for a in range(rank) if mask >> (4 - rank + a) & 1]
        keep = bool(op.options.get("keep_dims", False))
        want = tuple(1 if a in reduced else d for a, d in enumerate(inp.shape) if keep or a not in reduced)
        if out.shape != want:
            raise ConvertError(f"{op.describe()}: output {out.describe()} does not match input {inp.describe()} "
                               f"reduced over axes {reduced} with keep_dims {keep}: expected {list(want)}")
        if type_ in (OpType.REDUCE_MAX, OpType.REDUCE_MIN):
            # TFLM's Eval requires it (ReduceGeneric on the raw int8 values).
            if not _same_quant(inp, out):
                raise self._fail(op, out, "output", f"has scale {out.scales[0]} and zero point {out.zero_points[0]}, "
                                 f"the input {inp.describe()} scale {inp.scales[0]} and zero point "
                                 f"{inp.zero_points[0]}; supported: output quantized exactly as the input")
            self.emit(op, type_, [self.tensor_id(inp)], out, axes=mask)
            return
        count = math.prod(inp.shape[a] for a in reduced)
        what = "averaged" if type_ == OpType.MEAN else "summed"
        self.limit(count <= limits.MAX_MEAN_COUNT, inp, "input", f"{count} elements {what} per output",
                   "TRT_MAX_MEAN_COUNT")
        # SUM: the fold of 1 / count is MEAN's alone; with a count of 1 it is the identity.
        params = quant.mean_params(float(inp.scales[0]), int(inp.zero_points[0]), float(out.scales[0]),
                                   int(out.zero_points[0]), count if type_ == OpType.MEAN else 1)
        self.shifts(out, "output", params["shift"])
        self.emit(op, type_, [self.tensor_id(inp)], out, axes=mask, **params)

    def op_arg_max(self, op: TflOp) -> None:
        self._arg(op, OpType.ARG_MAX)

    def op_arg_min(self, op: TflOp) -> None:
        self._arg(op, OpType.ARG_MIN)

    def _arg(self, op: TflOp, type_: OpType) -> None:
        """ARG_MAX, ARG_MIN of int8 along one constant axis; INT32 or INT64
        indices as the output says (TFLM runs INT32 only; the indices are the
        same numbers either way)."""
        inp = self.activation(op, op.inputs[0], "input")
        axis_t = self.model.tensors[op.inputs[1]]
        out_t = self.model.tensors[op.outputs[0]]
        if out_t.dtype not in ("INT32", "INT64"):
            self._raise(op, out_t, "output", f"has type {out_t.dtype}; supported: INT32 or INT64 indices")
        if axis_t.data is None or axis_t.dtype not in ("INT32", "INT64") or axis_t.data.size != 1:
            self._raise(op, axis_t, "axis", "must be a constant INT32 or INT64 tensor of one value")
        rank = len(inp.shape)
        axis = int(axis_t.data.reshape(-1)[0])
        if not -rank <= axis < rank:
            self._raise(op, axis_t, "axis", f"is {axis}, outside rank {rank} of input {inp.describe()}")
        axis %= rank
        want = tuple(d for a, d in enumerate(inp.shape) if a != axis) or (1,)
        if (out_t.shape or (1,)) != want:
            raise ConvertError(f"{op.describe()}: output {out_t.describe()} does not match input {inp.describe()} "
                               f"without axis {axis}: expected {list(want)}")
        self.emit(op, type_, [self.tensor_id(inp)], out_t, axis=4 - rank + axis,
                  int64_output=out_t.dtype == "INT64")

    def op_resize_nearest_neighbor(self, op: TflOp) -> None:
        self._resize(op, OpType.RESIZE_NEAREST_NEIGHBOR)

    def op_resize_bilinear(self, op: TflOp) -> None:
        self._resize(op, OpType.RESIZE_BILINEAR)

    def _resize(self, op: TflOp, type_: OpType) -> None:
        """Both resizes become one kernel over a constant table of source
        rows, columns and 1/1024 weights per output row and column, computed
        offline exactly as TFLM computes them (integer arithmetic for
        bilinear, float32 for nearest neighbour); nearest neighbour has zero
        weights. TFLM interpolates raw int8 values: inputs and output
        quantized alike."""
        inp = self.activation(op, op.inputs[0], "input")
        size_t = self.model.tensors[op.inputs[1]]
        out = self.activation(op, op.outputs[0], "output")
        if len(inp.shape) != 4 or len(out.shape) != 4:
            raise ConvertError(f"{op.describe()}: input and output must be 4-D NHWC")
        if size_t.data is None or size_t.dtype != "INT32" or size_t.data.size != 2:
            self._raise(op, size_t, "size", "must be a constant INT32 tensor of 2 values (height, width)")
        out_h, out_w = (int(v) for v in size_t.data.reshape(-1))
        if (out_h, out_w) != tuple(out.shape[1:3]) or out.shape[0] != inp.shape[0] or out.shape[3] != inp.shape[3]:
            raise ConvertError(f"{op.describe()}: output {out.describe()} does not match input {inp.describe()} "
                               f"resized to {out_h}x{out_w}")
        if not _same_quant(inp, out):
            raise self._fail(op, out, "output", f"has scale {out.scales[0]} and zero point {out.zero_points[0]}, "
                             f"the input {inp.describe()} scale {inp.scales[0]} and zero point "
                             f"{inp.zero_points[0]}; TFLM interpolates the raw int8 values, so supported: output "
                             "quantized exactly as the input")
        align, half = bool(op.options.get("align_corners")), bool(op.options.get("half_pixel_centers"))
        if align and half:
            raise ConvertError(f"{op.describe()}: align_corners and half_pixel_centers both set; supported: at "
                               "most one (TFLM refuses both)")
        table_of = quant.resize_bilinear_table if type_ == OpType.RESIZE_BILINEAR else quant.resize_nearest_table
        rows = table_of(inp.shape[1], out_h, align, half) + table_of(inp.shape[2], out_w, align, half)
        for k, (lo, hi, _) in enumerate(rows):
            size = inp.shape[1] if k < out_h else inp.shape[2]
            if not (0 <= lo < size and 0 <= hi < size):
                axis = "row" if k < out_h else "column"
                raise self._fail(op, inp, "input", f"would be read at {axis} {max(lo, hi)} for output {axis} "
                                 f"{k if k < out_h else k - out_h} (TFLM's integer scale reads outside the "
                                 "input there); supported: resizes whose sources lie inside the input")
        table = self.const(out.name + "/resize_table", np.array(rows, np.int32))
        self.emit(op, type_, [self.tensor_id(inp), table], out)

    def op_l2_normalization(self, op: TflOp) -> None:
        """TFLM's int8 L2Normalization: output in 1/128 with zero point 0
        whatever the output tensor says (the TFLite converter writes exactly
        that, and tinyrt requires it); no fused activation (TFLM refuses one)."""
        inp = self.activation(op, op.inputs[0], "input")
        out = self.activation(op, op.outputs[0], "output")
        if out.scales[0] != np.float32(1 / 128) or out.zero_points[0] != 0:
            raise self._fail(op, out, "output", f"has scale {out.scales[0]} and zero point {out.zero_points[0]}; "
                             "TFLM writes 1/128 units, so supported: scale 1/128, zero point 0")
        act = str(op.options.get("activation", "NONE"))
        if act != "NONE":
            raise ConvertError(f"{op.describe()}: fused activation {act}; supported: NONE (as in TFLM)")
        self._same_elements(op, inp, out, same_shape=True)
        depth = inp.shape[-1]
        self.limit(depth <= limits.MAX_DOT_DEPTH, inp, "input", f"depth {depth}", "TRT_MAX_DOT_DEPTH")
        self.emit(op, OpType.L2_NORMALIZATION, [self.tensor_id(inp)], out, input_offset=-int(inp.zero_points[0]))

    def op_batch_matmul(self, op: TflOp) -> None:
        """TFLM's int8 BatchMatMul: FULLY_CONNECTED's arithmetic per output
        (offsets -zp on both sides, GetQuantizedConvolutionMultipler's
        s_lhs * s_rhs / s_out), batch dims broadcast, no activation. The RHS
        may be an activation or a constant (per-tensor quantized either way,
        as TFLM reads params.scale)."""
        lhs = self.activation(op, op.inputs[0], "lhs")
        rhs = self.activation(op, op.inputs[1], "rhs")
        out = self.activation(op, op.outputs[0], "output")
        for role, t in (("lhs", lhs), ("rhs", rhs), ("output", out)):
            if len(t.shape) < 2:
                raise self._fail(op, t, role, f"has rank {len(t.shape)}; supported: 2 to {limits.MAX_DIMS}")
        adj_x, adj_y = bool(op.options.get("adj_x")), bool(op.options.get("adj_y"))
        rows, depth = (lhs.shape[-1], lhs.shape[-2]) if adj_x else lhs.shape[-2:]
        depth_rhs, cols = (rhs.shape[-1], rhs.shape[-2]) if adj_y else rhs.shape[-2:]
        try:
            batch = np.broadcast_shapes(lhs.shape[:-2], rhs.shape[:-2])
        except ValueError:
            batch = None
        want = None if batch is None else (*batch, rows, cols)
        if depth != depth_rhs or out.shape != want:
            raise ConvertError(f"{op.describe()}: lhs {lhs.describe()} (adj_x {adj_x}) and rhs {rhs.describe()} "
                               f"(adj_y {adj_y}) do not multiply into output {out.describe()}"
                               + (f": expected {list(want)}" if want is not None and depth == depth_rhs else ""))
        self.limit(depth <= limits.MAX_DOT_DEPTH, lhs, "lhs", f"accumulation depth {depth}", "TRT_MAX_DOT_DEPTH")
        mult, shift = quant.conv_multipliers(float(lhs.scales[0]), float(rhs.scales[0]), float(out.scales[0]))
        self.shifts(out, "output", shift)
        self.emit(op, OpType.BATCH_MATMUL, [self.tensor_id(lhs), self.tensor_id(rhs)], out,
                  lhs_offset=-int(lhs.zero_points[0]), rhs_offset=-int(rhs.zero_points[0]),
                  output_offset=int(out.zero_points[0]), multiplier=int(mult[0]), shift=int(shift[0]),
                  adj_x=adj_x, adj_y=adj_y)

    def op_softmax(self, op: TflOp) -> None:
        inp = self.activation(op, op.inputs[0], "input")
        out = self.activation(op, op.outputs[0], "output")
        if out.scales[0] != np.float32(1 / 256) or out.zero_points[0] != -128:
            raise ConvertError(f"{op.describe()}: output {out.describe()} has scale {out.scales[0]} and zero point "
                               f"{out.zero_points[0]}; supported: scale 1/256, zero point -128")
        self._same_elements(op, inp, out, same_shape=True)
        depth = inp.shape[-1]
        self.limit(depth <= limits.MAX_SOFTMAX_DEPTH, inp, "input", f"depth {depth}", "TRT_MAX_SOFTMAX_DEPTH")
        beta = float(op.options.get("beta", 1.0))
        if not float(np.float32(beta)) * float(inp.scales[0]) * (1 << 26) > 1.0:
            raise ConvertError(f"{op.describe()}: beta * input scale too small for the fixed-point softmax")
        multiplier, left_shift, diff_min = quant.softmax_params(beta, float(inp.scales[0]))
        self.emit(op, OpType.SOFTMAX, [self.tensor_id(inp)], out, input_multiplier=multiplier,
                  input_left_shift=left_shift, diff_min=diff_min)

    def op_reshape(self, op: TflOp) -> None:
        inp = self.model.tensors[op.inputs[0]]
        out = self.model.tensors[op.outputs[0]]
        if inp.dtype not in _DTYPES:
            self._raise(op, inp, "input", f"has an unsupported type; supported: {', '.join(_DTYPES)}")
        self.activation(op, op.outputs[0], "output", inp.dtype)
        self._same_elements(op, inp, out)
        self.emit(op, OpType.RESHAPE, [self.tensor_id(inp)], out)

    def op_quantize(self, op: TflOp) -> None:
        inp = self.model.tensors[op.inputs[0]]
        out = self.activation(op, op.outputs[0], "output")
        if inp.dtype == "FLOAT32":
            self.activation(op, op.inputs[0], "input", "FLOAT32")
            self._same_elements(op, inp, out)
            self.emit(op, OpType.QUANTIZE, [self.tensor_id(inp)], out,
                      scale_bits=quant.f32_bits(float(out.scales[0])), zero_point=int(out.zero_points[0]))
            return
        # int8 -> int8: TFLM's Requantize per element is a function of the
        # input byte, so a LUT (a table load per element instead of a
        # multiply and rounding shift: a tenth of the instructions on
        # Cortex-M4, and in place). The REQUANTIZE op stays for older blobs.
        inp = self.activation(op, op.inputs[0], "input")
        self._same_elements(op, inp, out)
        params = quant.requantize_params(float(inp.scales[0]), int(inp.zero_points[0]), float(out.scales[0]),
                                         int(out.zero_points[0]))
        self.shifts(out, "output", params["shift"])
        self._emit_lut(op, inp, out, ref.requantize_s8, **params)

    def op_dequantize(self, op: TflOp) -> None:
        inp = self.activation(op, op.inputs[0], "input")
        out = self.activation(op, op.outputs[0], "output", "FLOAT32")
        self._same_elements(op, inp, out)
        self.emit(op, OpType.DEQUANTIZE, [self.tensor_id(inp)], out,
                  scale_bits=quant.f32_bits(float(inp.scales[0])), zero_point=int(inp.zero_points[0]))

    # -- data movement: one COPY op of strided-copy pieces (movement.py) ------
    def _int_values(self, op: TflOp, index: int, role: str) -> np.ndarray:
        """A constant INT32/INT64 operand (paddings, begin, perm, ...) as int64."""
        t = self.model.tensors[index]
        value = self._const(index)
        if value is None or t.dtype not in ("INT32", "INT64"):
            what = "is not constant" if value is None else f"has type {t.dtype}"
            raise self._fail(op, t, role, f"{what}; supported: a constant INT32 or INT64 tensor (data movement "
                             "is decided offline)")
        return value.astype(np.int64).reshape(-1)

    def _copy(self, op: TflOp, ins: list[TflTensor], outs: list[TflTensor], geometry: Any,
              fill: int | None = None) -> None:
        """Emit COPY with the pieces geometry() returns; a ValueError from it
        (what TFLM would refuse) names the op and its first output. The
        tensors' limits come first: the pieces' int32 offsets assume them."""
        for t in [*ins, *outs]:
            self.tensor_id(t)
        try:
            rows = geometry()
        except ValueError as exc:
            raise self._fail(op, outs[0], "output", f"cannot be computed: {exc}") from None
        self.limit(len(rows) <= limits.MAX_DIM, outs[0], "output", f"{len(rows)} copy pieces (rows of its "
                   "pieces table)", "TRT_MAX_DIM")
        table = self.const(f"{outs[0].name}/pieces", movement.table(rows))
        self.emit(op, OpType.COPY, [self.tensor_id(t) for t in ins] + [table], outs,
                  fill=int(fill is not None), fill_value=fill or 0)

    def op_pad(self, op: TflOp) -> None:
        """PAD: TFLM pads int8 with the output zero point."""
        x, out = self.activation(op, op.inputs[0], "input"), self.activation(op, op.outputs[0], "output")
        p = self._int_values(op, op.inputs[1], "paddings")
        self._copy(op, [x], [out], lambda: movement.pad(x.shape, p, out.shape), int(out.zero_points[0]))

    def op_padv2(self, op: TflOp) -> None:
        """PADV2: TFLM pads with the raw int8 constant, which it requires to be
        quantized exactly as the output."""
        x, out = self.activation(op, op.inputs[0], "input"), self.activation(op, op.outputs[0], "output")
        p = self._int_values(op, op.inputs[1], "paddings")
        v = self.model.tensors[op.inputs[2]]
        value = self._const(op.inputs[2])
        if value is None or v.dtype != "INT8" or value.size != 1:
            raise self._fail(op, v, "constant_values", "unsupported; supported: a constant INT8 scalar")
        if not v.quantized or v.scales.size != 1 or not _same_quant(v, out):
            raise self._fail(op, v, "constant_values", f"is quantized unlike the output {out.describe()}; TFLM "
                             "requires the same scale and zero point")
        self._copy(op, [x], [out], lambda: movement.pad(x.shape, p, out.shape), int(value.reshape(-1)[0]))

    def op_mirror_pad(self, op: TflOp) -> None:
        x, out = self.activation(op, op.inputs[0], "input"), self.activation(op, op.outputs[0], "output")
        p = self._int_values(op, op.inputs[1], "paddings")
        mode = str(op.options.get("mode", "REFLECT"))
        if mode not in ("REFLECT", "SYMMETRIC"):
            raise ConvertError(f"{op.describe()}: mode {mode}; supported: REFLECT, SYMMETRIC")
        self._copy(op, [x], [out], lambda: movement.mirror_pad(x.shape, p, mode == "SYMMETRIC", out.shape))

    def op_strided_slice(self, op: TflOp) -> None:
        x = self.activation(op, op.inputs[0], "input")
        out_t = self.model.tensors[op.outputs[0]]
        out = self.activation(op, op.outputs[0], "output") if out_t.shape else out_t
        begin, end, strides = (self._int_values(op, i, r) for i, r in zip(op.inputs[1:], ("begin", "end", "strides"),
                                                                             strict=True))
        o = op.options
        for mask in ("ellipsis_mask", "new_axis_mask"):
            if o.get(mask, 0):
                raise ConvertError(f"{op.describe()}: {mask} {o[mask]}; supported: 0 (the TFLite converter "
                                   "lowers ellipses and new axes to full ranges and RESHAPE)")
        if begin.size != len(x.shape):
            raise self._fail(op, x, "input", f"is sliced by {begin.size} begin values; supported: one per dim")
        if o.get("offset", False):
            raise ConvertError(f"{op.describe()}: offset true; supported: false (TFLM ignores offset, TFLite adds "
                               "begin to end: the model has no one meaning)")
        shrink = int(o.get("shrink_axis_mask", 0))
        if any(shrink >> k & 1 and s < 0 for k, s in enumerate(strides.tolist())):
            raise ConvertError(f"{op.describe()}: a shrunk axis with a negative stride; supported: shrunk axes of "
                               "positive stride (TFLM writes no element for the other)")

        def geometry() -> list[list[int]]:
            axes = movement.strided_slice_axes(x.shape, begin.tolist(), end.tolist(), strides.tolist(),
                                               int(o.get("begin_mask", 0)), int(o.get("end_mask", 0)),
                                               int(o.get("shrink_axis_mask", 0)), bool(o.get("offset", False)))
            return movement.strided_slice(x.shape, axes, out.shape)

        self._copy(op, [x], [out], geometry)

    def op_slice(self, op: TflOp) -> None:
        x, out = self.activation(op, op.inputs[0], "input"), self.activation(op, op.outputs[0], "output")
        begin, size = self._int_values(op, op.inputs[1], "begin"), self._int_values(op, op.inputs[2], "size")
        self._copy(op, [x], [out], lambda: movement.strided_slice(
            x.shape, movement.slice_axes(x.shape, begin.tolist(), size.tolist()), out.shape))

    def op_transpose(self, op: TflOp) -> None:
        x, out = self.activation(op, op.inputs[0], "input"), self.activation(op, op.outputs[0], "output")
        perm = self._int_values(op, op.inputs[1], "perm")
        self._copy(op, [x], [out], lambda: movement.transpose(x.shape, perm.tolist(), out.shape))

    def op_pack(self, op: TflOp) -> None:
        ins = [self.activation(op, i, f"input{k + 1}") for k, i in enumerate(op.inputs)]
        out = self.activation(op, op.outputs[0], "output")
        axis = int(op.options.get("axis", 0))
        self._copy(op, ins, [out], lambda: movement.pack([t.shape for t in ins], axis, out.shape))

    def op_unpack(self, op: TflOp) -> None:
        x = self.activation(op, op.inputs[0], "input")
        outs = [self.activation(op, i, f"output{k + 1}") for k, i in enumerate(op.outputs)]
        axis = int(op.options.get("axis", 0))
        self._copy(op, [x], outs, lambda: movement.unpack(x.shape, axis, [t.shape for t in outs]))

    def op_split_v(self, op: TflOp) -> None:
        x = self.activation(op, op.inputs[0], "input")
        sizes = self._int_values(op, op.inputs[1], "size_splits").tolist()
        axis_t = self.model.tensors[op.inputs[2]]
        axis_v = self._int_values(op, op.inputs[2], "axis")
        if axis_v.size != 1:
            raise self._fail(op, axis_t, "axis", "must be a constant scalar")
        outs = [self.activation(op, i, f"output{k + 1}") for k, i in enumerate(op.outputs)]
        axis = self._axis(op, x, int(axis_v[0]))
        if len(sizes) != len(outs) or sizes.count(-1) > 1:
            raise ConvertError(f"{op.describe()}: size_splits {sizes} for {len(outs)} outputs; supported: one size "
                               "per output, at most one -1")
        if -1 in sizes:
            sizes[sizes.index(-1)] = x.shape[axis] - (sum(sizes) + 1)
        self._copy(op, [x], outs, lambda: movement.split(x.shape, axis, sizes, [t.shape for t in outs]))

    def op_gather(self, op: TflOp) -> None:
        x, out = self.activation(op, op.inputs[0], "input"), self.activation(op, op.outputs[0], "output")
        t = self.model.tensors[op.inputs[1]]
        self._int_values(op, op.inputs[1], "indices")
        indices = self._const(op.inputs[1])
        assert indices is not None
        if int(op.options.get("batch_dims", 0)) != 0:
            raise self._fail(op, t, "indices", f"with batch_dims {op.options['batch_dims']}; supported: 0")
        axis = int(op.options.get("axis", 0))
        self._copy(op, [x], [out], lambda: movement.gather(x.shape, indices.reshape(t.shape), axis, out.shape))

    def op_tile(self, op: TflOp) -> None:
        x, out = self.activation(op, op.inputs[0], "input"), self.activation(op, op.outputs[0], "output")
        multiples = self._int_values(op, op.inputs[1], "multiples")
        self._copy(op, [x], [out], lambda: movement.tile(x.shape, multiples.tolist(), out.shape))

    def _block(self, op: TflOp, x: TflTensor) -> int:
        if len(x.shape) != 4:
            raise self._fail(op, x, "input", "must be 4-D NHWC")
        return int(op.options.get("block_size", 0))

    def op_depth_to_space(self, op: TflOp) -> None:
        x, out = self.activation(op, op.inputs[0], "input"), self.activation(op, op.outputs[0], "output")
        block = self._block(op, x)
        self._copy(op, [x], [out], lambda: movement.depth_to_space(x.shape, block, out.shape))

    def op_space_to_depth(self, op: TflOp) -> None:
        x, out = self.activation(op, op.inputs[0], "input"), self.activation(op, op.outputs[0], "output")
        block = self._block(op, x)
        self._copy(op, [x], [out], lambda: movement.space_to_depth(x.shape, block, out.shape))

    def op_batch_to_space_nd(self, op: TflOp) -> None:
        x, out = self.activation(op, op.inputs[0], "input"), self.activation(op, op.outputs[0], "output")
        block = self._int_values(op, op.inputs[1], "block_shape").tolist()
        crops = self._int_values(op, op.inputs[2], "crops")
        self._copy(op, [x], [out], lambda: movement.batch_to_space_nd(x.shape, block, crops, out.shape))

    def op_space_to_batch_nd(self, op: TflOp) -> None:
        """SPACE_TO_BATCH_ND: TFLM pads int8 with the output zero point."""
        x, out = self.activation(op, op.inputs[0], "input"), self.activation(op, op.outputs[0], "output")
        block = self._int_values(op, op.inputs[1], "block_shape").tolist()
        paddings = self._int_values(op, op.inputs[2], "paddings")
        self._copy(op, [x], [out], lambda: movement.space_to_batch_nd(x.shape, block, paddings, out.shape),
                   int(out.zero_points[0]))


# Ops that see a tensor's elements in row-major order only (data movement,
# lowered to COPY; reshapes; SHAPE, which reads the static shape).
_RANK_FREE_OPS = frozenset({"PAD", "PADV2", "MIRROR_PAD", "STRIDED_SLICE", "SLICE", "TRANSPOSE", "PACK", "UNPACK",
                            "SPLIT_V", "GATHER", "TILE", "RESHAPE", "SQUEEZE", "EXPAND_DIMS", "SHAPE"})

_NUMPY_TYPES = {"INT8": np.int8, "INT16": np.int16, "INT32": np.int32, "INT64": np.int64, "FLOAT32": np.float32}


def _same_quant(a: TflTensor, b: TflTensor) -> bool:
    return a.dtype == b.dtype and np.array_equal(a.scales, b.scales) and np.array_equal(a.zero_points, b.zero_points)


def _scalar_int(t: TflTensor, role: str) -> int:
    if t.data is None or t.data.size != 1 or t.dtype not in ("INT32", "INT64"):
        raise ValueError(f"{role} {t.describe()} must be a constant integer scalar")
    return int(t.data.reshape(-1)[0])


def _fold_shape(low: _Lowering, op: TflOp, ins: list[TflTensor]) -> np.ndarray:
    out = low.model.tensors[op.outputs[0]]
    return np.array(ins[0].shape, _NUMPY_TYPES.get(out.dtype, np.int32))


def _fold_strided_slice(low: _Lowering, op: TflOp, ins: list[TflTensor]) -> np.ndarray:
    data, begin, end, strides = (t.data for t in ins)
    assert data is not None and begin is not None and end is not None and strides is not None
    o = op.options
    if o.get("ellipsis_mask", 0) or o.get("new_axis_mask", 0):
        raise ValueError("ellipsis_mask and new_axis_mask are not supported (supported: 0)")
    rank = data.ndim
    if not begin.size == end.size == strides.size <= rank:
        raise ValueError(f"begin, end and strides must have as many values (at most rank {rank})")
    index: list[Any] = []
    for k in range(begin.size):
        b, e, s = int(begin.reshape(-1)[k]), int(end.reshape(-1)[k]), int(strides.reshape(-1)[k])
        if s == 0:
            raise ValueError(f"stride 0 on axis {k}")
        if o.get("offset", False):
            e = b + e
        if o.get("shrink_axis_mask", 0) >> k & 1:
            if not -data.shape[k] <= b < data.shape[k]:
                raise ValueError(f"index {b} outside axis {k} of size {data.shape[k]}")
            index.append(b)
            continue
        index.append(slice(None if o.get("begin_mask", 0) >> k & 1 else b,
                           None if o.get("end_mask", 0) >> k & 1 else e, s))
    return np.ascontiguousarray(data[tuple(index)])


def _fold_pack(low: _Lowering, op: TflOp, ins: list[TflTensor]) -> np.ndarray:
    arrays = [t.data for t in ins]
    rank = arrays[0].ndim + 1 if arrays[0] is not None else 1
    axis = int(op.options.get("axis", 0))
    if not -rank <= axis < rank:
        raise ValueError(f"axis {axis} outside rank {rank}")
    return np.stack(arrays, axis=axis)  # type: ignore[arg-type]


def _fold_concatenation(low: _Lowering, op: TflOp, ins: list[TflTensor]) -> np.ndarray | None:
    if str(op.options.get("activation", "NONE")) != "NONE":
        return None
    arrays = [t.data.reshape(t.shape or (1,)) for t in ins]  # type: ignore[union-attr]
    return np.concatenate(arrays, axis=int(op.options.get("axis", 0)))


def _fold_gather(low: _Lowering, op: TflOp, ins: list[TflTensor]) -> np.ndarray:
    params, indices = ins[0].data, ins[1].data
    assert params is not None and indices is not None
    if int(op.options.get("batch_dims", 0)) != 0:
        raise ValueError(f"batch_dims {op.options['batch_dims']} (supported: 0)")
    axis = int(op.options.get("axis", 0))
    if not -params.ndim <= axis < params.ndim:
        raise ValueError(f"axis {axis} outside rank {params.ndim}")
    size = params.shape[axis]
    if indices.size and (indices.min() < 0 or indices.max() >= size):
        raise ValueError(f"index outside 0 to {size - 1}")
    return np.take(params, indices.astype(np.int64), axis=axis)


def _fold_reshape(low: _Lowering, op: TflOp, ins: list[TflTensor]) -> np.ndarray:
    assert ins[0].data is not None
    return ins[0].data.reshape(-1)  # _fold_constant gives it the output's shape


def _fold_arith(low: _Lowering, op: TflOp, ins: list[TflTensor]) -> np.ndarray:
    a, b = (t.data.astype(np.int64) for t in ins)  # type: ignore[union-attr]
    r = a + b if op.name == "ADD" else a * b
    if r.size and (r.min() < quant.INT32_MIN or r.max() > quant.INT32_MAX):
        raise ValueError("the result overflows INT32")
    return r.astype(np.int32)


_FOLDERS: dict[str, Any] = {
    "SHAPE": _fold_shape, "STRIDED_SLICE": _fold_strided_slice, "PACK": _fold_pack,
    "CONCATENATION": _fold_concatenation, "GATHER": _fold_gather, "RESHAPE": _fold_reshape,
    "SQUEEZE": _fold_reshape, "EXPAND_DIMS": _fold_reshape, "ADD": _fold_arith, "MUL": _fold_arith,
}

# The .tflite operators with a lowering: an op_<name> method of _Lowering.
SUPPORTED_OPS = tuple(sorted(name[3:].upper() for name in vars(_Lowering) if name.startswith("op_")))
# Supported operators that never become a runtime op: computed offline from
# constants and static shapes, refused otherwise.
FOLDED_ONLY = frozenset({"SHAPE"})
# Supported operators lowered to runtime ops of other names (the others
# become the runtime op of their own name).
LOWERED_AS: dict[str, tuple[OpType, ...]] = {
    "QUANTIZE": (OpType.QUANTIZE, OpType.LUT),  # float32 -> int8, int8 -> int8 (REQUANTIZE: older blobs)
    # int8 -> int8 functions: a 256-entry table computed offline.
    **{name: (OpType.LUT,) for name in (
        "RELU", "RELU6", "LEAKY_RELU", "LOGISTIC", "TANH", "HARD_SWISH", "ABS", "ELU", "RSQRT", "EXP", "NEG",
        "RELU_N1_TO_1")},
    "SQUEEZE": (OpType.RESHAPE,),
    "EXPAND_DIMS": (OpType.RESHAPE,),
    # Data movement as strided copies (movement.py); folded where every input is constant.
    **{name: (OpType.COPY,) for name in (
        "PAD", "PADV2", "MIRROR_PAD", "STRIDED_SLICE", "SLICE", "TRANSPOSE", "PACK", "UNPACK", "SPLIT_V", "GATHER",
        "TILE", "DEPTH_TO_SPACE", "SPACE_TO_DEPTH", "BATCH_TO_SPACE_ND", "SPACE_TO_BATCH_ND")},
}

# Operators lowered to COPY whose COPY may run in place (choose_inplace_pads;
# a SPACE_TO_BATCH_ND of block 1 is such a pad too).
INPLACE_COPY_OPS = frozenset({"PAD", "PADV2"})

# Operands of each supported op: (min inputs, max inputs (None: any), input
# positions that may be -1 (an absent optional input), min outputs, max outputs).
ARITY: dict[str, tuple[int, int | None, frozenset[int], int, int | None]] = {
    "CONV_2D": (2, 3, frozenset({2}), 1, 1),
    "DEPTHWISE_CONV_2D": (2, 3, frozenset({2}), 1, 1),
    "FULLY_CONNECTED": (2, 3, frozenset({2}), 1, 1),
    "AVERAGE_POOL_2D": (1, 1, frozenset(), 1, 1),
    "MAX_POOL_2D": (1, 1, frozenset(), 1, 1),
    "ADD": (2, 2, frozenset(), 1, 1),
    "MUL": (2, 2, frozenset(), 1, 1),
    "SUB": (2, 2, frozenset(), 1, 1),
    "MAXIMUM": (2, 2, frozenset(), 1, 1),
    "MINIMUM": (2, 2, frozenset(), 1, 1),
    "SOFTMAX": (1, 1, frozenset(), 1, 1),
    "RESHAPE": (1, 2, frozenset(), 1, 1),
    "QUANTIZE": (1, 1, frozenset(), 1, 1),
    "DEQUANTIZE": (1, 1, frozenset(), 1, 1),
    "CONCATENATION": (1, None, frozenset(), 1, 1),
    "SPLIT": (2, 2, frozenset(), 1, None),
    "MEAN": (2, 2, frozenset(), 1, 1),
    "TRANSPOSE_CONV": (3, 4, frozenset({3}), 1, 1),
    # Data movement, lowered to COPY (or folded when every input is constant).
    "PAD": (2, 2, frozenset(), 1, 1),
    "PADV2": (3, 3, frozenset(), 1, 1),
    "MIRROR_PAD": (2, 2, frozenset(), 1, 1),
    "SLICE": (3, 3, frozenset(), 1, 1),
    "TRANSPOSE": (2, 2, frozenset(), 1, 1),
    "UNPACK": (1, 1, frozenset(), 1, None),
    "SPLIT_V": (3, 3, frozenset(), 1, None),
    "TILE": (2, 2, frozenset(), 1, 1),
    "DEPTH_TO_SPACE": (1, 1, frozenset(), 1, 1),
    "SPACE_TO_DEPTH": (1, 1, frozenset(), 1, 1),
    "BATCH_TO_SPACE_ND": (3, 3, frozenset(), 1, 1),
    "SPACE_TO_BATCH_ND": (3, 3, frozenset(), 1, 1),
    "SUM": (2, 2, frozenset(), 1, 1),
    "REDUCE_MAX": (2, 2, frozenset(), 1, 1),
    "REDUCE_MIN": (2, 2, frozenset(), 1, 1),
    "ARG_MAX": (2, 2, frozenset(), 1, 1),
    "ARG_MIN": (2, 2, frozenset(), 1, 1),
    "RESIZE_NEAREST_NEIGHBOR": (2, 2, frozenset(), 1, 1),
    "RESIZE_BILINEAR": (2, 2, frozenset(), 1, 1),
    "L2_NORMALIZATION": (1, 1, frozenset(), 1, 1),
    "BATCH_MATMUL": (2, 2, frozenset(), 1, 1),
    "PRELU": (2, 2, frozenset(), 1, 1),
    "SQUARED_DIFFERENCE": (2, 2, frozenset(), 1, 1),
    # int8 -> int8 functions, each a LUT op.
    **{name: (1, 1, frozenset(), 1, 1) for name in ("RELU", "RELU6", "LEAKY_RELU", "LOGISTIC", "TANH", "HARD_SWISH",
                                                    "ABS", "ELU", "RSQRT", "EXP", "NEG", "RELU_N1_TO_1")},
    # Folded offline (shape arithmetic; on activations STRIDED_SLICE, PACK and
    # GATHER lower to COPY), or lowered to RESHAPE (SQUEEZE, EXPAND_DIMS).
    "SHAPE": (1, 1, frozenset(), 1, 1),
    "STRIDED_SLICE": (4, 4, frozenset(), 1, 1),
    "PACK": (1, None, frozenset(), 1, 1),
    "GATHER": (2, 2, frozenset(), 1, 1),
    "SQUEEZE": (1, 1, frozenset(), 1, 1),
    "EXPAND_DIMS": (2, 2, frozenset(), 1, 1),
}
# Operators TFLM has no int8 kernel for, so the LiteRT interpreter is their
# reference and oracle (everything else is TFLM's): functions whose int8
# arithmetic is LiteRT's, and TILE (data movement).
LITERT_CHECKED_OPS = frozenset({"EXP", "NEG", "RELU_N1_TO_1", "TILE"})


def _oracle(name: str) -> str:
    return "LiteRT" if name in LITERT_CHECKED_OPS else "TFLM"


# Operators refused on purpose, with the reason the message gives.
REFUSED_OPS: dict[str, str] = {
    "L2_POOL_2D": "neither TFLM nor LiteRT has an int8 L2_POOL_2D kernel (float32 only), so no reference defines "
                  "its int8 arithmetic and no oracle could check it",
}
_QUANTIZED_TYPES = ("INT8", "INT16", "INT32")


def _check_tensor(where: str, role: str, t: TflTensor) -> None:
    """Dims of 1 or more; a quantized tensor's scales finite and positive, its
    zero points in range of its type, its quantized axis inside its shape."""
    what = f"{where}: {role} {t.describe()}"
    for d in t.shape:
        if d < 1:
            raise ConvertError(f"{what} has dim {d}; supported: dims of 1 or more")
    if t.dtype not in _QUANTIZED_TYPES or not t.quantized:
        return
    bad = [float(x) for x in t.scales if not (np.isfinite(x) and x > 0)]
    if bad:
        raise ConvertError(f"{what} has quantization scale {bad[0]}; supported: finite positive scales")
    if t.dtype == "INT8":
        lo, hi = quant.INT8_MIN, quant.INT8_MAX
    else:
        lo, hi = (-(2**15), 2**15 - 1) if t.dtype == "INT16" else (quant.INT32_MIN, quant.INT32_MAX)
    out_of_range = [int(z) for z in t.zero_points if not lo <= z <= hi]
    if out_of_range:
        raise ConvertError(f"{what} has zero point {out_of_range[0]}; supported: {lo} to {hi} for {t.dtype}")
    if t.scales.size > 1 and not (0 <= t.axis < len(t.shape) and t.shape[t.axis] == t.scales.size):
        raise ConvertError(f"{what} has {t.scales.size} scales along axis {t.axis}; supported: one per "
                           "element of a quantized axis inside its shape")


def _check_supported(model: TflModel) -> None:
    """Every op has a lowering; otherwise one error that lists each op
    without one, with its output tensor, so a user sees all at once."""
    n = len(model.tensors)
    unsupported = []
    for op in model.ops:
        if op.name not in SUPPORTED_OPS:
            out = op.outputs[0] if op.outputs and 0 <= op.outputs[0] < n else None
            detail = f" (output {model.tensors[out].describe()})" if out is not None else ""
            why = f" [{REFUSED_OPS[op.name]}]" if op.name in REFUSED_OPS else ""
            unsupported.append(op.describe() + detail + why)
    if unsupported:
        what = "an unsupported operator" if len(unsupported) == 1 else f"{len(unsupported)} unsupported operators"
        raise ConvertError(f"{what}: {'; '.join(unsupported)}; supported: {', '.join(SUPPORTED_OPS)}")


def check_graph(model: TflModel) -> None:
    """The graph-level checks, before any lowering: operand indices valid (-1
    only for an absent optional input), each op supported with its number of
    operands, ops in execution order (each reads graph inputs, constants,
    state or outputs of earlier ops: no cycles, no op reading its own output),
    each tensor produced once, graph inputs and constants never written, every
    graph output produced by an op, every operand's dims and quantization
    valid. Raises ConvertError naming the op and tensor."""
    n = len(model.tensors)
    for kind, ids in (("input", model.inputs), ("output", model.outputs)):
        if not ids:
            raise ConvertError(f"graph has no {kind}s; supported: 1 or more")
        for k, i in enumerate(ids):
            if not 0 <= i < n:
                raise ConvertError(f"graph {kind} {k} is tensor index {i}; the model has {n} tensors")
            if ids.index(i) != k:
                raise ConvertError(f"graph {kind} {model.tensors[i].describe()} is listed twice")
    available = {i for i, t in enumerate(model.tensors) if t.data is not None or t.variable} | set(model.inputs)
    producer: dict[int, int] = {}
    writers = {i: op.index for op in model.ops for i in op.outputs if 0 <= i < n}
    _check_supported(model)
    for op in model.ops:
        where = op.describe()
        for role, ids, absent in (("input", op.inputs, -1), ("output", op.outputs, None)):
            for k, i in enumerate(ids):
                if not (0 <= i < n or i == absent):
                    optional = " (or -1 for an absent optional input)" if role == "input" else ""
                    raise ConvertError(f"{where}: {role} {k} is tensor index {i}; supported: 0 to {n - 1}"
                                       f"{optional}")
        lo_in, hi_in, optional_at, lo_out, hi_out = ARITY[op.name]
        named = [model.tensors[i].describe() for i in op.outputs + op.inputs if i >= 0][:1]
        for role, count, lo, hi in (("inputs", len(op.inputs), lo_in, hi_in),
                                    ("outputs", len(op.outputs), lo_out, hi_out)):
            if count < lo or (hi is not None and count > hi):
                most = "or more" if hi is None else ("" if hi == lo else f"to {hi}")
                about = f" (tensors: {named[0]}...)" if named else ""
                raise ConvertError(f"{where}{about}: {count} {role}; supported: {lo} {most}".rstrip())
        for k, i in enumerate(op.inputs):
            if i == -1:
                if k not in optional_at:
                    raise ConvertError(f"{where}: input {k} is absent (-1); supported: a tensor here")
                continue
            t = model.tensors[i]
            if i in op.outputs:
                raise ConvertError(f"{where}: reads its own output {t.describe()}")
            if i not in available:
                later = writers.get(i)
                why = (f"before op {later} writes it (ops must be in execution order, without cycles)"
                       if later is not None else "which is not a graph input, a constant, state or the output "
                       "of an earlier op")
                raise ConvertError(f"{where}: reads input {k} {t.describe()} {why}")
            _check_tensor(where, f"input {k}", t)
        for k, i in enumerate(op.outputs):
            t = model.tensors[i]
            if i in model.inputs:
                raise ConvertError(f"{where}: writes graph input {t.describe()}; supported: graph inputs only read")
            if t.data is not None:
                raise ConvertError(f"{where}: writes constant {t.describe()}")
            if t.variable:
                raise ConvertError(f"{where}: writes variable (state) {t.describe()}; supported: state that ops "
                                   "only read")
            if i in producer or i in op.outputs[:k]:
                raise ConvertError(f"{where}: writes {t.describe()}, already written by op {producer.get(i, op.index)}"
                                   "; supported: one producer per tensor")
            _check_tensor(where, f"output {k}", t)
            producer[i] = op.index
            available.add(i)
    for kind, ids in (("input", model.inputs), ("output", model.outputs)):
        for i in ids:  # after the op checks, which name the op as well
            _check_tensor("graph", kind, model.tensors[i])
            if model.tensors[i].variable:
                raise ConvertError(f"graph {kind} {model.tensors[i].describe()} is a variable (state) tensor; "
                                   f"supported: a graph {kind} that is not state")
    for i in model.outputs:
        if i not in producer:
            t = model.tensors[i]
            what = "a constant" if t.data is not None else "a graph input" if i in model.inputs else "never written"
            raise ConvertError(f"graph output {t.describe()} is {what}; supported: outputs computed by an op")


def _pointwise_shrinks(graph: Graph, op: Op) -> bool:
    """A 1x1 convolution whose output pixel p reads input pixel p alone and
    is no wider than it: stride 1, no padding, Cout <= Cin."""
    p = op.params
    f_shape = graph.tensors[op.inputs[1]].shape
    in_shape = graph.tensors[op.inputs[0]].shape
    out_shape = graph.tensors[op.output].shape
    return (
        tuple(f_shape[1:3]) == (1, 1)
        and (p["stride_h"], p["stride_w"], p["dilation_h"], p["dilation_w"]) == (1, 1, 1, 1)
        and (p["pad_top"], p["pad_left"]) == (0, 0)
        and tuple(out_shape[:3]) == tuple(in_shape[:3])
        and out_shape[3] <= in_shape[3]
    )


# Element-wise ops of two inputs with an in-place variant.
ELEMENTWISE_INPLACE = (OpType.ADD, OpType.SUB, OpType.MUL, OpType.MAXIMUM, OpType.MINIMUM, OpType.PRELU,
                       OpType.SQUARED_DIFFERENCE)


def _kernel_scratch(size_fn: str, output_shape: Sequence[int]) -> int:
    """Scratch bytes from a kernel's own *_scratch_size(output dims), through
    the binding: the function the loader's check calls too."""
    from .native import ffi, lib

    n, h, w, c = output_shape
    return int(getattr(lib, size_fn)(ffi.new("trt_dims_t *", {"n": n, "h": h, "w": w, "c": c})))


def _inplace_scratch(graph: Graph, op: Op) -> int | None:
    """Scratch bytes of the op's in-place variant; None where it has none."""
    if op.type == OpType.LUT:
        return 0
    if op.type in ELEMENTWISE_INPLACE:
        # Without broadcast of input 0, each output element is written right
        # after its own input elements are read (kernels.h).
        same = graph.tensors[op.inputs[0]].shape == graph.tensors[op.output].shape
        return 0 if same else None
    in_shape, out_shape = graph.tensors[op.inputs[0]].shape, graph.tensors[op.output].shape
    # The depthwise kernel writes each output plane over its input plane: no
    # larger (a folded PAD can make it larger).
    if op.type == OpType.DEPTHWISE_CONV_2D and op.params["depth_multiplier"] == 1 and \
            out_shape[1] * out_shape[2] <= in_shape[1] * in_shape[2]:
        size = "trt_dwconv_s8_inplace_scratch_size"
    elif op.type == OpType.CONV_2D and _pointwise_shrinks(graph, op):
        size = "trt_conv1x1_s8_inplace_scratch_size"
    else:
        return None
    return _kernel_scratch(size, graph.tensors[op.output].shape)


def _dies_at(graph: Graph, i: int) -> bool:
    """Input 0 of op i is an arena tensor read by no later op and no graph output."""
    src = graph.ops[i].inputs[0]
    return graph.tensors[src].storage == Storage.ARENA and src not in graph.outputs and graph.consumers(src) == [i]


def choose_inplace(graph: Graph) -> None:
    """Run an op in place (Variant.REF_INPLACE) when it has such a variant for
    its shape and its input dies there (it is neither a graph output nor read
    later): depthwise convolutions with depth multiplier 1, pointwise (1x1)
    ones that do not widen their input, LUT ops, and element-wise ops of two
    inputs whose input 0 has the output's shape."""
    for i, op in enumerate(graph.ops):
        if not _dies_at(graph, i):
            continue
        scratch = _inplace_scratch(graph, op)
        if scratch is not None:
            op.variant, op.scratch_bytes = Variant.REF_INPLACE, scratch


def _pad_runs_in_place(graph: Graph, i: int) -> bool:
    """A padding COPY (PAD, PADV2: a fill, one input, one output, one piece)
    whose input dies there and whose piece the in-place kernel takes."""
    op = graph.ops[i]
    if op.type != OpType.COPY or not op.params["fill"] or len(op.inputs) != 2 or len(op.outputs) != 1:
        return False
    rows = graph.tensors[op.inputs[1]].data
    assert rows is not None
    return len(rows) == 1 and _dies_at(graph, i) and movement.runs_in_place(rows[0])


def choose_inplace_pads(graph: Graph) -> None:
    """Run a PAD in place (COPY's REF_INPLACE: the output written back to
    front over its input, which sits at its start) only where that lowers
    the arena. In place, the input's buffer is the larger output's from the
    input's producer on, so it can cost more before the PAD than it saves
    at it: each candidate is planned both ways, in op order."""
    for i, op in enumerate(graph.ops):
        if not _pad_runs_in_place(graph, i):
            continue
        before = plan(graph).arena_bytes
        op.variant = Variant.REF_INPLACE
        if plan(graph).arena_bytes >= before:
            op.variant = Variant.REF


def convert(model: bytes | Path | str | TflModel, inplace: bool = True,
            kernels: Sequence[str] = PORTABLE) -> Graph:
    """Lower a .tflite model (bytes, path or parsed) to a tinyrt Graph, with
    each op's kernel variant chosen among the kernel directories `kernels`
    (a board's `kernel_dirs`; the default runs on every board)."""
    parsed = model if isinstance(model, TflModel) else read_tflite(model)
    check_graph(parsed)
    # Op checks come first: they name the op as well as the tensor.
    graph = _Lowering(parsed).lower()
    for i in parsed.inputs:
        t = parsed.tensors[i]
        if t.dtype not in ("INT8", "FLOAT32"):
            raise ConvertError(f"graph input/output {t.describe()}: supported types: INT8, FLOAT32")
    for i in parsed.outputs:
        t = parsed.tensors[i]
        # Indices (ARG_MAX, ARG_MIN) are INT32 or INT64 outputs.
        if t.dtype not in ("INT8", "FLOAT32", "INT32", "INT64"):
            raise ConvertError(f"graph input/output {t.describe()}: supported types: INT8, FLOAT32 (outputs also "
                               "INT32, INT64)")
    if inplace:
        choose_inplace(graph)
    select_kernels(graph, kernels)
    if inplace:
        # After the kernel choice: the comparison needs its scratch sizes.
        choose_inplace_pads(graph)
    return graph
