"""Reading .tflite files (through the maintained `tflite` flatbuffer package)
into plain Python objects: tensors with their quantization and constant data,
and operators with their builtin options as a dict."""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import flatbuffers
import numpy as np
import tflite as tfl

from .flatbuf import FlatbufferError, verify

_TYPE_NAMES = {v: k for k, v in vars(tfl.TensorType).items() if not k.startswith("_")}
_OP_NAMES = {v: k for k, v in vars(tfl.BuiltinOperator).items() if not k.startswith("_")}
_ACT_NAMES = {v: k for k, v in vars(tfl.ActivationFunctionType).items() if not k.startswith("_")}
_PAD_NAMES = {v: k for k, v in vars(tfl.Padding).items() if not k.startswith("_")}
_NUMPY = {
    "INT8": np.int8,
    "UINT8": np.uint8,
    "INT16": np.int16,
    "INT32": np.int32,
    "INT64": np.int64,
    "FLOAT32": np.float32,
    "FLOAT16": np.float16,
    "BOOL": np.bool_,
}


class TfliteError(ValueError):
    """The file is not a .tflite model this reader understands."""


@dataclass
class TflTensor:
    index: int
    name: str
    dtype: str  # TensorType name: 'INT8', 'FLOAT32', ...
    shape: tuple[int, ...]
    scales: np.ndarray  # float32, empty when not quantized
    zero_points: np.ndarray  # int64
    axis: int
    data: np.ndarray | None  # constant contents, shaped
    variable: bool = False  # state kept across invocations

    @property
    def quantized(self) -> bool:
        return self.scales.size > 0

    def describe(self) -> str:
        return f"tensor {self.index} '{self.name}' ({self.dtype} {list(self.shape)})"


@dataclass
class TflOp:
    index: int
    name: str  # BuiltinOperator name, or 'CUSTOM'
    custom_code: str
    inputs: list[int]
    outputs: list[int]
    options: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        what = f"CUSTOM '{self.custom_code}'" if self.name == "CUSTOM" else self.name
        return f"op {self.index} ({what})"


@dataclass
class TflModel:
    tensors: list[TflTensor]
    ops: list[TflOp]
    inputs: list[int]
    outputs: list[int]


# A table with an empty vtable (vtable size 4, table size 4, at byte 0; the
# table at byte 4): every accessor returns its field's default.
_EMPTY_TABLE = bytearray(struct.pack("<HHi", 4, 4, 4))


def _enum(names: dict[int, str], value: int) -> str:
    """An enum value's name; an unknown value gets a name the converter refuses."""
    return names.get(value, f"UNKNOWN_{value}")


def _options(op: Any, name: str) -> dict[str, Any]:
    table = op.BuiltinOptions()
    if table is None:
        # Absent options: every field takes its schema default, as TFLite reads them.
        table = flatbuffers.table.Table(_EMPTY_TABLE, 4)
    if name in ("CONV_2D", "DEPTHWISE_CONV_2D"):
        o: Any = tfl.DepthwiseConv2DOptions() if name == "DEPTHWISE_CONV_2D" else tfl.Conv2DOptions()
        o.Init(table.Bytes, table.Pos)
        opts = {
            "padding": _enum(_PAD_NAMES, o.Padding()),
            "stride_h": o.StrideH(),
            "stride_w": o.StrideW(),
            "dilation_h": o.DilationHFactor(),
            "dilation_w": o.DilationWFactor(),
            "activation": _enum(_ACT_NAMES, o.FusedActivationFunction()),
        }
        if name == "DEPTHWISE_CONV_2D":
            opts["depth_multiplier"] = o.DepthMultiplier()
        return opts
    if name == "TRANSPOSE_CONV":
        o = tfl.TransposeConvOptions()
        o.Init(table.Bytes, table.Pos)
        return {
            "padding": _enum(_PAD_NAMES, o.Padding()),
            "stride_h": o.StrideH(),
            "stride_w": o.StrideW(),
            "activation": _enum(_ACT_NAMES, o.FusedActivationFunction()),
        }
    if name in ("AVERAGE_POOL_2D", "MAX_POOL_2D"):
        o = tfl.Pool2DOptions()
        o.Init(table.Bytes, table.Pos)
        return {
            "padding": _enum(_PAD_NAMES, o.Padding()),
            "stride_h": o.StrideH(),
            "stride_w": o.StrideW(),
            "filter_h": o.FilterHeight(),
            "filter_w": o.FilterWidth(),
            "activation": _enum(_ACT_NAMES, o.FusedActivationFunction()),
        }
    if name == "FULLY_CONNECTED":
        o = tfl.FullyConnectedOptions()
        o.Init(table.Bytes, table.Pos)
        return {"activation": _enum(_ACT_NAMES, o.FusedActivationFunction()), "keep_num_dims": bool(o.KeepNumDims())}
    if name in ("ADD", "SUB", "MUL"):
        o = {"ADD": tfl.AddOptions, "SUB": tfl.SubOptions, "MUL": tfl.MulOptions}[name]()
        o.Init(table.Bytes, table.Pos)
        return {"activation": _enum(_ACT_NAMES, o.FusedActivationFunction())}
    if name == "SOFTMAX":
        o = tfl.SoftmaxOptions()
        o.Init(table.Bytes, table.Pos)
        return {"beta": float(o.Beta())}
    if name == "CONCATENATION":
        o = tfl.ConcatenationOptions()
        o.Init(table.Bytes, table.Pos)
        return {"axis": o.Axis(), "activation": _enum(_ACT_NAMES, o.FusedActivationFunction())}
    if name == "SPLIT":
        o = tfl.SplitOptions()
        o.Init(table.Bytes, table.Pos)
        return {"num_splits": o.NumSplits()}
    if name == "SHAPE":
        o = tfl.ShapeOptions()
        o.Init(table.Bytes, table.Pos)
        return {"out_type": _enum(_TYPE_NAMES, o.OutType())}
    if name == "STRIDED_SLICE":
        o = tfl.StridedSliceOptions()
        o.Init(table.Bytes, table.Pos)
        return {"begin_mask": o.BeginMask(), "end_mask": o.EndMask(), "ellipsis_mask": o.EllipsisMask(),
                "new_axis_mask": o.NewAxisMask(), "shrink_axis_mask": o.ShrinkAxisMask(), "offset": bool(o.Offset())}
    if name == "PACK":
        o = tfl.PackOptions()
        o.Init(table.Bytes, table.Pos)
        return {"values_count": o.ValuesCount(), "axis": o.Axis()}
    if name == "GATHER":
        o = tfl.GatherOptions()
        o.Init(table.Bytes, table.Pos)
        return {"axis": o.Axis(), "batch_dims": o.BatchDims()}
    if name == "SQUEEZE":
        o = tfl.SqueezeOptions()
        o.Init(table.Bytes, table.Pos)
        return {"squeeze_dims": [int(d) for d in o.SqueezeDimsAsNumpy()] if o.SqueezeDimsLength() else []}
    if name == "MIRROR_PAD":
        o = tfl.MirrorPadOptions()
        o.Init(table.Bytes, table.Pos)
        return {"mode": {0: "REFLECT", 1: "SYMMETRIC"}.get(o.Mode(), f"UNKNOWN_{o.Mode()}")}
    if name == "UNPACK":
        o = tfl.UnpackOptions()
        o.Init(table.Bytes, table.Pos)
        return {"num": o.Num(), "axis": o.Axis()}
    if name == "SPLIT_V":
        o = tfl.SplitVOptions()
        o.Init(table.Bytes, table.Pos)
        return {"num_splits": o.NumSplits()}
    if name in ("DEPTH_TO_SPACE", "SPACE_TO_DEPTH"):
        o = tfl.DepthToSpaceOptions() if name == "DEPTH_TO_SPACE" else tfl.SpaceToDepthOptions()
        o.Init(table.Bytes, table.Pos)
        return {"block_size": o.BlockSize()}
    if name == "LEAKY_RELU":
        o = tfl.LeakyReluOptions()
        o.Init(table.Bytes, table.Pos)
        return {"alpha": float(o.Alpha())}
    if name in ("MEAN", "SUM", "REDUCE_MAX", "REDUCE_MIN"):
        o = tfl.ReducerOptions()
        o.Init(table.Bytes, table.Pos)
        return {"keep_dims": bool(o.KeepDims())}
    if name in ("ARG_MAX", "ARG_MIN"):
        o = tfl.ArgMaxOptions() if name == "ARG_MAX" else tfl.ArgMinOptions()
        o.Init(table.Bytes, table.Pos)
        return {"output_type": _enum(_TYPE_NAMES, o.OutputType())}
    if name == "BATCH_MATMUL":
        o = tfl.BatchMatMulOptions()
        o.Init(table.Bytes, table.Pos)
        return {"adj_x": bool(o.AdjX()), "adj_y": bool(o.AdjY())}
    if name == "L2_NORMALIZATION":
        o = tfl.L2NormOptions()
        o.Init(table.Bytes, table.Pos)
        return {"activation": _enum(_ACT_NAMES, o.FusedActivationFunction())}
    if name in ("RESIZE_BILINEAR", "RESIZE_NEAREST_NEIGHBOR"):
        o = tfl.ResizeBilinearOptions() if name == "RESIZE_BILINEAR" else tfl.ResizeNearestNeighborOptions()
        o.Init(table.Bytes, table.Pos)
        return {"align_corners": bool(o.AlignCorners()), "half_pixel_centers": bool(o.HalfPixelCenters())}
    return {}


def _op_name(code: int) -> str:
    return _OP_NAMES.get(code, f"BUILTIN_{code}")


def _read_tensor(model: Any, graph: Any, i: int) -> TflTensor:
    t = graph.Tensors(i)
    dtype = _TYPE_NAMES.get(t.Type(), f"TYPE_{t.Type()}")
    name = t.Name().decode() if t.Name() else f"t{i}"
    shape = tuple(int(d) for d in t.ShapeAsNumpy()) if t.ShapeLength() else ()
    where = f"tensor {i} '{name}' ({dtype} {list(shape)})"
    q = t.Quantization()
    scales = np.zeros(0, np.float32)
    zps = np.zeros(0, np.int64)
    axis = 0
    if q is not None and q.ScaleLength():
        scales = q.ScaleAsNumpy().astype(np.float32)
        zps = q.ZeroPointAsNumpy().astype(np.int64) if q.ZeroPointLength() else np.zeros(scales.size, np.int64)
        axis = q.QuantizedDimension()
        if zps.size != scales.size:
            raise TfliteError(f"{where}: {scales.size} quantization scales but {zps.size} zero points")
    if not 0 <= t.Buffer() < model.BuffersLength():
        raise TfliteError(f"{where}: buffer index {t.Buffer()} is outside the model's {model.BuffersLength()} "
                          "buffers")
    buf = model.Buffers(t.Buffer())
    content = None
    if buf.Offset() > 1 or buf.Size() > 0:
        raise TfliteError(f"{where}: data stored outside the flatbuffer (buffer offset {buf.Offset()}); "
                          "supported: data inside the .tflite flatbuffer")
    if buf.DataLength() and dtype in _NUMPY:
        raw = buf.DataAsNumpy().tobytes()
        count = math.prod(shape) if all(d >= 0 for d in shape) else -1
        if count * np.dtype(_NUMPY[dtype]).itemsize != len(raw):
            raise TfliteError(f"{where}: constant data of {len(raw)} bytes does not hold {dtype} {list(shape)}")
        content = np.frombuffer(raw, dtype=_NUMPY[dtype]).reshape(shape).copy()
    return TflTensor(i, name, dtype, shape, scales, zps, axis, content, bool(t.IsVariable()))


def read_tflite(data: bytes | Path | str) -> TflModel:
    """Parse the first subgraph of a .tflite model (bytes or a path).

    The flatbuffer is verified first (flatbuf.verify: every offset, vtable,
    vector and string the reader follows lies inside the file), so any
    malformed file is one TfliteError saying where and what."""
    if not isinstance(data, bytes):
        data = Path(data).read_bytes()
    if len(data) < 8 or data[4:8] != b"TFL3":
        raise TfliteError("not a .tflite file (no TFL3 identifier)")
    try:
        verify(data, _op_name)
    except FlatbufferError as exc:
        raise TfliteError(f"malformed .tflite flatbuffer: {exc}") from None
    model = tfl.Model.GetRootAs(data, 0)
    if model.SubgraphsLength() != 1:
        raise TfliteError(f"model has {model.SubgraphsLength()} subgraphs; supported: exactly 1")
    graph = model.Subgraphs(0)
    tensors = [_read_tensor(model, graph, i) for i in range(graph.TensorsLength())]

    ops = []
    for i in range(graph.OperatorsLength()):
        op = graph.Operators(i)
        code = model.OperatorCodes(op.OpcodeIndex())  # index checked by verify()
        name = _op_name(max(code.DeprecatedBuiltinCode(), code.BuiltinCode()))
        custom = code.CustomCode().decode() if code.CustomCode() else ""
        inputs = [int(x) for x in op.InputsAsNumpy()] if op.InputsLength() else []
        outputs = [int(x) for x in op.OutputsAsNumpy()] if op.OutputsLength() else []
        ops.append(TflOp(i, name, custom, inputs, outputs, _options(op, name)))

    return TflModel(
        tensors,
        ops,
        [int(x) for x in graph.InputsAsNumpy()] if graph.InputsLength() else [],
        [int(x) for x in graph.OutputsAsNumpy()] if graph.OutputsLength() else [],
    )
