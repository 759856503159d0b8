"""Write small .tflite flatbuffers (schema version 3) with chosen shapes and quantization.

This exists so tests can produce models that the TFLite converter would never emit
(odd shapes, hand-picked scales, per-channel axes) without depending on TensorFlow.
make_dscnn_kws() builds a realistic whole-network benchmark model on top of it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import flatbuffers
import numpy as np
import tflite  # the third-party flatbuffer classes, not the sibling tinyrt.tflite

_SCHEMA_VERSION = 3
_FILE_IDENTIFIER = b"TFL3"
# The schema declares buffer data with force_align: 16; the converter honours it and
# SIMD kernels reading weights in place may rely on it.
_BUFFER_ALIGN = 16
# deprecated_builtin_code is an int8 field; larger codes are stored as this placeholder.
_PLACEHOLDER_FOR_GREATER_OP_CODES = 127

_DTYPES: dict[str, tuple[int, type[np.generic]]] = {
    "float32": (tflite.TensorType.FLOAT32, np.float32),
    "int32": (tflite.TensorType.INT32, np.int32),
    "int64": (tflite.TensorType.INT64, np.int64),
    "int16": (tflite.TensorType.INT16, np.int16),
    "int8": (tflite.TensorType.INT8, np.int8),
    "uint8": (tflite.TensorType.UINT8, np.uint8),
}
_PADDINGS = {"SAME": tflite.Padding.SAME, "VALID": tflite.Padding.VALID}
_ACTIVATIONS = {
    "NONE": tflite.ActivationFunctionType.NONE,
    "RELU": tflite.ActivationFunctionType.RELU,
    "RELU_N1_TO_1": tflite.ActivationFunctionType.RELU_N1_TO_1,
    "RELU6": tflite.ActivationFunctionType.RELU6,
}


@dataclass(frozen=True)
class QParams:
    scale: float | Sequence[float]  # per-tensor or per-channel
    zero_point: int | Sequence[int]
    axis: int = 0  # quantized_dimension for per-channel


@dataclass(frozen=True)
class _Options:
    """Every option any supported op takes; _ALLOWED_OPTIONS says which apply where."""

    padding: str = "SAME"
    stride_h: int = 1
    stride_w: int = 1
    dilation_h: int = 1
    dilation_w: int = 1
    depth_multiplier: int = 1
    filter_h: int = 1
    filter_w: int = 1
    activation: str = "NONE"
    keep_num_dims: bool = False
    keep_dims: bool = False
    beta: float = 1.0
    new_shape: tuple[int, ...] = ()
    axis: int = 0
    num_splits: int = 0  # 0: one split per output
    custom_code: str = ""
    custom_options: bytes = b""
    begin_mask: int = 0
    end_mask: int = 0
    ellipsis_mask: int = 0
    new_axis_mask: int = 0
    shrink_axis_mask: int = 0
    batch_dims: int = 0
    squeeze_dims: tuple[int, ...] = ()
    offset: bool = False
    mode: str = "REFLECT"  # MIRROR_PAD: REFLECT or SYMMETRIC
    block_size: int = 1
    output_type: str = "int32"  # ARG_MAX, ARG_MIN
    align_corners: bool = False  # RESIZE_BILINEAR, RESIZE_NEAREST_NEIGHBOR
    half_pixel_centers: bool = False
    adj_x: bool = False  # BATCH_MATMUL
    adj_y: bool = False
    alpha: float = 0.2  # LEAKY_RELU's schema default


_CONV_OPTIONS = frozenset({"padding", "stride_h", "stride_w", "dilation_h", "dilation_w", "activation"})
_POOL_OPTIONS = frozenset({"padding", "stride_h", "stride_w", "filter_h", "filter_w", "activation"})
_ALLOWED_OPTIONS: dict[str, frozenset[str]] = {
    "CONV_2D": _CONV_OPTIONS,
    "DEPTHWISE_CONV_2D": _CONV_OPTIONS | {"depth_multiplier"},
    "FULLY_CONNECTED": frozenset({"activation", "keep_num_dims"}),
    "AVERAGE_POOL_2D": _POOL_OPTIONS,
    "MAX_POOL_2D": _POOL_OPTIONS,
    "ADD": frozenset({"activation"}),
    "MUL": frozenset({"activation"}),
    "SUB": frozenset({"activation"}),
    "MAXIMUM": frozenset(),
    "MINIMUM": frozenset(),
    # Inputs [output_shape, filter, input, bias (optional)]: the output shape
    # is a constant int32 tensor the caller adds.
    "TRANSPOSE_CONV": frozenset({"padding", "stride_h", "stride_w", "activation"}),
    "PRELU": frozenset(),  # [input, alpha]
    "SQUARED_DIFFERENCE": frozenset(),
    # Unary int8 -> int8 activations and element-wise functions.
    **{name: frozenset() for name in ("RELU", "RELU6", "RELU_N1_TO_1", "LOGISTIC", "TANH", "HARD_SWISH", "ABS",
                                      "NEG", "ELU", "EXP", "RSQRT", "SQRT", "LOG")},
    "LEAKY_RELU": frozenset({"alpha"}),
    "CONCATENATION": frozenset({"axis", "activation"}),
    # The split axis is input 0, a constant int32 tensor the caller adds.
    "SPLIT": frozenset({"num_splits"}),
    "SOFTMAX": frozenset({"beta"}),
    # The reduction axes are input 1, a constant int32 tensor the caller adds.
    "MEAN": frozenset({"keep_dims"}),
    "SUM": frozenset({"keep_dims"}),
    "REDUCE_MAX": frozenset({"keep_dims"}),
    "REDUCE_MIN": frozenset({"keep_dims"}),
    # The axis is input 1, a constant int32 tensor the caller adds.
    "ARG_MAX": frozenset({"output_type"}),
    "ARG_MIN": frozenset({"output_type"}),
    # The output size is input 1, a constant int32 [2] tensor the caller adds.
    "RESIZE_NEAREST_NEIGHBOR": frozenset({"align_corners", "half_pixel_centers"}),
    "RESIZE_BILINEAR": frozenset({"align_corners", "half_pixel_centers"}),
    "L2_NORMALIZATION": frozenset({"activation"}),
    "L2_POOL_2D": _POOL_OPTIONS,
    "BATCH_MATMUL": frozenset({"adj_x", "adj_y"}),
    "RESHAPE": frozenset({"new_shape"}),
    "QUANTIZE": frozenset(),
    "DEQUANTIZE": frozenset(),
    # Shape arithmetic (tinyrt folds it offline). SHAPE writes out_type INT32;
    # STRIDED_SLICE takes [data, begin, end, strides], GATHER [params, indices],
    # EXPAND_DIMS [data, axis]: constant int32 tensors the caller adds.
    "SHAPE": frozenset(),
    "STRIDED_SLICE": frozenset({"begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask",
                               "offset"}),
    "PACK": frozenset({"axis"}),
    "GATHER": frozenset({"axis", "batch_dims"}),
    "SQUEEZE": frozenset({"squeeze_dims"}),
    "EXPAND_DIMS": frozenset(),
    # Data movement: paddings, begin/size, perm, multiples, size_splits,
    # block_shape, crops are constant int32 inputs the caller adds (SPLIT_V
    # takes [data, size_splits, axis]).
    "PAD": frozenset(),
    "PADV2": frozenset(),
    "MIRROR_PAD": frozenset({"mode"}),
    "SLICE": frozenset(),
    "TRANSPOSE": frozenset(),
    "UNPACK": frozenset({"axis"}),
    "SPLIT_V": frozenset({"num_splits"}),
    "TILE": frozenset(),
    "DEPTH_TO_SPACE": frozenset({"block_size"}),
    "SPACE_TO_DEPTH": frozenset({"block_size"}),
    "BATCH_TO_SPACE_ND": frozenset(),
    "SPACE_TO_BATCH_ND": frozenset(),
    # custom_options (raw bytes, normally a flexbuffer) goes into Operator.custom_options.
    "CUSTOM": frozenset({"custom_code", "custom_options"}),
}
# A 1x1 pooling window default would silently hide a forgotten option.
_REQUIRED_OPTIONS: dict[str, frozenset[str]] = {
    "AVERAGE_POOL_2D": frozenset({"filter_h", "filter_w"}),
    "MAX_POOL_2D": frozenset({"filter_h", "filter_w"}),
    "L2_POOL_2D": frozenset({"filter_h", "filter_w"}),
    "CUSTOM": frozenset({"custom_code"}),
    "DEPTH_TO_SPACE": frozenset({"block_size"}),
    "SPACE_TO_DEPTH": frozenset({"block_size"}),
}
_POSITIVE_INT_OPTIONS = frozenset(
    {"stride_h", "stride_w", "dilation_h", "dilation_w", "depth_multiplier", "filter_h", "filter_w", "num_splits",
     "block_size"}
)


_BOOL_OPTIONS = frozenset({"keep_num_dims", "keep_dims", "offset", "align_corners", "half_pixel_centers", "adj_x",
                           "adj_y"})


def _as_int(value: object) -> int | None:
    """Accept Python and numpy integers, but not bools or floats."""
    if isinstance(value, int | np.integer) and not isinstance(value, bool):
        return int(value)
    return None


def _coerce_option(key: str, value: object, raw: bool = False) -> object:
    if raw and key in _POSITIVE_INT_OPTIONS and (n := _as_int(value)) is not None:
        return n  # any int32, 0 and negative included
    if key == "padding" and isinstance(value, str) and value in _PADDINGS:
        return value
    if key == "activation" and isinstance(value, str) and value in _ACTIVATIONS:
        return value
    if key in _POSITIVE_INT_OPTIONS and (n := _as_int(value)) is not None and n >= 1:
        return n
    if key == "axis" and (n := _as_int(value)) is not None:
        return n  # negative counts from the last dim
    if key == "mode" and value in ("REFLECT", "SYMMETRIC"):
        return value
    if key == "output_type" and value in ("int32", "int64"):
        return value
    if key in _BOOL_OPTIONS and isinstance(value, bool | np.bool_):
        return bool(value)
    if key in ("beta", "alpha") and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if key == "new_shape" and isinstance(value, Sequence | np.ndarray):
        dims = [_as_int(v) for v in value]
        if all(d is not None for d in dims):
            return tuple(d for d in dims if d is not None)
    if key in ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask", "batch_dims") and (
        n := _as_int(value)
    ) is not None:
        return n
    if key == "squeeze_dims" and isinstance(value, Sequence | np.ndarray):
        sq = [_as_int(v) for v in value]
        if all(d is not None for d in sq):
            return tuple(d for d in sq if d is not None)
    if key == "custom_code" and isinstance(value, str) and value:
        return value
    if key == "custom_options" and isinstance(value, bytes | bytearray):
        return bytes(value)
    raise ValueError(f"invalid value {value!r} for option {key!r}")


@dataclass(frozen=True)
class _Tensor:
    shape: tuple[int, ...]
    dtype: str
    q: QParams | None
    buffer: int
    name: str
    variable: bool = False


@dataclass(frozen=True)
class _Op:
    name: str
    inputs: tuple[int, ...]
    outputs: tuple[int, ...]
    options: _Options


class ModelBuilder:
    """Accumulates tensors and ops of a single subgraph, then serializes them."""

    def __init__(self) -> None:
        self._tensors: list[_Tensor] = []
        self._ops: list[_Op] = []
        # Buffer 0 is the sentinel the schema reserves for "no data"; activations use it.
        self._buffers: list[bytes] = [b""]

    def tensor(
        self,
        shape: Sequence[int],
        dtype: str,
        *,
        q: QParams | None = None,
        data: np.ndarray | None = None,
        name: str = "",
        variable: bool = False,
        raw: bool = False,
    ) -> int:
        """Add a tensor; dtype in 'int8','int16','int32','float32','uint8'.

        data makes it a constant (own buffer); variable a state tensor kept
        across invocations (reset to its zero point). Returns its index.
        raw=True writes the shape as given, negative dims included (for
        tests of malformed models).
        """
        if dtype not in _DTYPES:
            raise ValueError(f"unsupported dtype {dtype!r}; expected one of {sorted(_DTYPES)}")
        dims = tuple(_as_int(d) for d in shape)
        if any(d is None or (d < 0 and not raw) for d in dims):
            raise ValueError(f"shape must be non-negative integers, got {shape!r}")
        full_shape = tuple(d for d in dims if d is not None)
        if q is not None:
            _quant_vectors(q, full_shape)  # validate early so errors point at the caller
        buffer = 0
        if data is not None:
            buffer = len(self._buffers)
            self._buffers.append(_to_bytes(data, dtype, full_shape))
        self._tensors.append(_Tensor(full_shape, dtype, q, buffer, name, variable))
        return len(self._tensors) - 1

    def op(self, opname: str, inputs: Sequence[int], outputs: Sequence[int], raw: bool = False,
           **options: object) -> None:
        """opname is the BuiltinOperator name ('CONV_2D', ...) or 'CUSTOM' (option custom_code='NAME').

        -1 in inputs = optional input absent. RESHAPE gets its new_shape (default: the
        output's shape) appended as an int32 constant input, as the converter does.
        SPLIT takes [axis, data] (axis a constant int32 tensor) and one output per
        split; num_splits defaults to the number of outputs. raw=True writes
        the operand indices as given (any int32, any count; for tests of
        malformed models), takes any int for strides, dilations, windows and
        depth multipliers, and adds no RESHAPE shape input.
        """
        if opname not in _ALLOWED_OPTIONS:
            raise ValueError(f"unsupported op {opname!r}; expected one of {sorted(_ALLOWED_OPTIONS)}")
        unknown = set(options) - _ALLOWED_OPTIONS[opname]
        if unknown:
            raise ValueError(f"{opname} does not take option(s) {sorted(unknown)}")
        missing = _REQUIRED_OPTIONS.get(opname, frozenset()) - set(options)
        if missing:
            raise ValueError(f"{opname} requires option(s) {sorted(missing)}")
        coerced: dict[str, Any] = {k: _coerce_option(k, v, raw) for k, v in options.items()}
        opts = _Options(**coerced)
        ins, outs = tuple(inputs), tuple(outputs)
        for i in () if raw else ins:
            self._check_index(i, allow_absent=True)
        for i in () if raw else outs:
            self._check_index(i, allow_absent=False)
        if opname == "RESHAPE" and not raw:
            ins, opts = self._reshape_inputs(ins, outs, opts)
        if opname == "SPLIT_V" and not opts.num_splits:
            opts = replace(opts, num_splits=len(outs))
        if opname == "SPLIT" and not opts.num_splits:
            opts = replace(opts, num_splits=len(outs))
        self._ops.append(_Op(opname, ins, outs, opts))

    def build(self, inputs: Sequence[int], outputs: Sequence[int], raw: bool = False) -> bytes:
        """The .tflite bytes; raw=True writes graph input and output indices as given."""
        for i in () if raw else (*inputs, *outputs):
            self._check_index(i, allow_absent=False)
        b = flatbuffers.Builder(1024)
        buffers = [_write_buffer(b, data) for data in self._buffers]
        tensors = [_write_tensor(b, t) for t in self._tensors]
        codes = self._opcode_table()
        code_index = {key: n for n, key in enumerate(codes)}
        ops = [_write_operator(b, op, code_index[_opcode_key(op)]) for op in self._ops]

        tensors_vec = _offset_vector(b, tensors)
        inputs_vec = _int32_vector(b, inputs)
        outputs_vec = _int32_vector(b, outputs)
        ops_vec = _offset_vector(b, ops)
        sg_name = b.CreateString("main")
        tflite.SubGraphStart(b)
        tflite.SubGraphAddTensors(b, tensors_vec)
        tflite.SubGraphAddInputs(b, inputs_vec)
        tflite.SubGraphAddOutputs(b, outputs_vec)
        tflite.SubGraphAddOperators(b, ops_vec)
        tflite.SubGraphAddName(b, sg_name)
        subgraph = tflite.SubGraphEnd(b)

        codes_vec = _offset_vector(b, [_write_opcode(b, key, v) for key, v in codes.items()])
        subgraphs_vec = _offset_vector(b, [subgraph])
        buffers_vec = _offset_vector(b, buffers)
        description = b.CreateString("tinyrt.tflite_writer")
        tflite.ModelStart(b)
        tflite.ModelAddVersion(b, _SCHEMA_VERSION)
        tflite.ModelAddOperatorCodes(b, codes_vec)
        tflite.ModelAddSubgraphs(b, subgraphs_vec)
        tflite.ModelAddDescription(b, description)
        tflite.ModelAddBuffers(b, buffers_vec)
        b.Finish(tflite.ModelEnd(b), file_identifier=_FILE_IDENTIFIER)
        return bytes(b.Output())

    def _check_index(self, index: int, *, allow_absent: bool) -> None:
        if allow_absent and index == -1:
            return
        if not 0 <= index < len(self._tensors):
            raise ValueError(f"tensor index {index} out of range (have {len(self._tensors)} tensors)")

    def _reshape_inputs(
        self, ins: tuple[int, ...], outs: tuple[int, ...], opts: _Options
    ) -> tuple[tuple[int, ...], _Options]:
        """Mirror the converter: new_shape is both an option and an int32 constant input."""
        if len(outs) != 1 or len(ins) not in (1, 2):
            raise ValueError("RESHAPE takes one data input (plus optional shape tensor) and one output")
        if not opts.new_shape:
            opts = replace(opts, new_shape=self._tensors[outs[0]].shape)
        if len(ins) == 1:
            shape = np.array(opts.new_shape, dtype=np.int32)
            ins = (ins[0], self.tensor([len(shape)], "int32", data=shape, name="new_shape"))
        return ins, opts

    def _opcode_table(self) -> dict[tuple[int, str], int]:
        """Map each distinct (builtin code, custom code) to the highest version its ops need."""
        codes: dict[tuple[int, str], int] = {}
        for op in self._ops:
            key = _opcode_key(op)
            codes[key] = max(codes.get(key, 1), _op_version(op, self._tensors))
        return codes


def _opcode_key(op: _Op) -> tuple[int, str]:
    return int(getattr(tflite.BuiltinOperator, op.name)), op.options.custom_code


def _op_version(op: _Op, tensors: Sequence[_Tensor]) -> int:
    """The version the TFLite converter would assign (tools/versioning/op_version.cc).

    TFLM resolves kernels by builtin code only, so this matters for other readers
    (and tinyrt's own checks) rather than for TFLM itself.
    """
    def dtype(operands: Sequence[int], k: int) -> str:
        return tensors[operands[k]].dtype if len(operands) > k and 0 <= operands[k] < len(tensors) else ""

    first_in, first_out = dtype(op.inputs, 0), dtype(op.outputs, 0)
    match op.name:
        case "CONV_2D":
            return {"int16": 4, "int8": 3}.get(first_in, 1)
        case "DEPTHWISE_CONV_2D":
            dilated = op.options.dilation_h != 1 or op.options.dilation_w != 1
            return {"int16": 5, "int8": 3}.get(first_in, 2 if dilated else 1)
        case "FULLY_CONNECTED":
            if first_in == "int16":
                return 7
            # Only a literal two-input op counts; the converter's [x, w, -1] stays at 4.
            if len(op.inputs) == 2:
                return 6
            if op.options.keep_num_dims:
                return 5
            return 4 if first_in == "int8" else 1
        case "AVERAGE_POOL_2D" | "MAX_POOL_2D" | "ADD" | "SOFTMAX" | "CONCATENATION" | "MAXIMUM" | "MINIMUM":
            return {"int16": 3, "int8": 2}.get(first_in, 1)
        case "SUB":
            return {"int16": 3, "int8": 2}.get(first_in, 1)
        case "MUL":
            if first_in == "int16":
                return 4
            if first_in == "int8" and _mul_rescale(op, tensors) >= 1.0:
                return 3  # a rescale of at least 1
            return 2 if first_in == "int8" else 1
        case "TRANSPOSE_CONV":
            # op_version.cc: a fused activation 4, a bias 3, int8 weights 2.
            if op.options.activation != "NONE":
                return 4
            if len(op.inputs) > 3 and op.inputs[3] >= 0:
                return 3
            return 2 if dtype(op.inputs, 1) == "int8" else 1
        case "SPLIT":
            # Input 0 is the axis; the data is input 1.
            data = dtype(op.inputs, 1)
            return {"int16": 4, "int32": 3, "int8": 2}.get(data, 1)
        case "QUANTIZE":
            return 2 if first_out == "int16" else 1
        case "DEQUANTIZE":
            return {"int16": 3, "int8": 2}.get(first_in, 1)
        case _:
            return 1


def _mul_rescale(op: _Op, tensors: Sequence[_Tensor]) -> float:
    """input1_scale * input2_scale / output_scale in float32, as op_version.cc
    computes it; 0 when a tensor has no per-tensor scale."""
    scales = []
    if len(op.inputs) < 2 or not op.outputs:
        return 0.0
    for i in (op.inputs[0], op.inputs[1], op.outputs[0]):
        q = tensors[i].q if 0 <= i < len(tensors) else None
        s = np.atleast_1d(np.asarray(q.scale, dtype=np.float32)) if q is not None else np.zeros(0, np.float32)
        if len(s) != 1 or s[0] == 0:
            return 0.0
        scales.append(s[0])
    return float(scales[0] * scales[1] / scales[2])


def _to_bytes(data: np.ndarray, dtype: str, shape: tuple[int, ...]) -> bytes:
    arr = np.asarray(data)
    want = np.dtype(_DTYPES[dtype][1])
    if arr.size != math.prod(shape):
        raise ValueError(f"data has {arr.size} elements but shape {shape} needs {math.prod(shape)}")
    if arr.dtype != want:
        # Refuse conversions that would silently wrap or truncate constants.
        if want.kind in "iu":
            info = np.iinfo(want)
            if arr.dtype.kind not in "iub" or (arr.size and (arr.min() < info.min or arr.max() > info.max)):
                raise ValueError(f"data of dtype {arr.dtype} does not fit {dtype}")
        elif arr.dtype.kind not in "iubf":
            raise ValueError(f"data of dtype {arr.dtype} cannot be stored as {dtype}")
    return arr.astype(want.newbyteorder("<")).tobytes()


def _quant_vectors(q: QParams, shape: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Scales as float32 and zero points as int64, both per-tensor or both per-channel."""
    scales = np.atleast_1d(np.asarray(q.scale, dtype=np.float32))
    zero_points = np.atleast_1d(np.asarray(q.zero_point, dtype=np.int64))
    n = max(len(scales), len(zero_points))
    if scales.ndim != 1 or zero_points.ndim != 1 or {len(scales), len(zero_points)} - {1, n}:
        raise ValueError(f"scale and zero_point lengths disagree: {q}")
    if n > 1 and not (0 <= q.axis < len(shape) and shape[q.axis] == n):
        raise ValueError(f"{n} per-channel parameters do not match axis {q.axis} of shape {shape}")
    # TFLM reads zero_point[c] alongside scale[c], so a shared value is spelled out per channel.
    return np.broadcast_to(scales, n).copy(), np.broadcast_to(zero_points, n).copy()


def _offset_vector(b: flatbuffers.Builder, offsets: Sequence[int]) -> int:
    b.StartVector(4, len(offsets), 4)
    for off in reversed(offsets):
        b.PrependUOffsetTRelative(off)
    return int(b.EndVector())


def _int32_vector(b: flatbuffers.Builder, values: Sequence[int]) -> int:
    return int(b.CreateNumpyVector(np.asarray(values, dtype=np.int32).reshape(-1)))


def _write_buffer(b: flatbuffers.Builder, data: bytes) -> int:
    data_vec = None
    if data:
        # Same as Builder.CreateByteVector, but with the schema's 16-byte alignment.
        b.StartVector(1, len(data), _BUFFER_ALIGN)
        b.head -= len(data)
        b.Bytes[b.head : b.head + len(data)] = data
        data_vec = b.EndVector()
    tflite.BufferStart(b)
    if data_vec is not None:
        tflite.BufferAddData(b, data_vec)
    return int(tflite.BufferEnd(b))


def _write_tensor(b: flatbuffers.Builder, t: _Tensor) -> int:
    shape_vec = _int32_vector(b, t.shape)
    name = b.CreateString(t.name)
    quant = None
    if t.q is not None:
        scales, zero_points = _quant_vectors(t.q, t.shape)
        scale_vec = b.CreateNumpyVector(scales)
        zp_vec = b.CreateNumpyVector(zero_points)
        tflite.QuantizationParametersStart(b)
        tflite.QuantizationParametersAddScale(b, scale_vec)
        tflite.QuantizationParametersAddZeroPoint(b, zp_vec)
        tflite.QuantizationParametersAddQuantizedDimension(b, t.q.axis if len(scales) > 1 else 0)
        quant = tflite.QuantizationParametersEnd(b)
    tflite.TensorStart(b)
    tflite.TensorAddShape(b, shape_vec)
    tflite.TensorAddType(b, _DTYPES[t.dtype][0])
    tflite.TensorAddBuffer(b, t.buffer)
    tflite.TensorAddName(b, name)
    if t.variable:
        tflite.TensorAddIsVariable(b, True)
    if quant is not None:
        tflite.TensorAddQuantization(b, quant)
    return int(tflite.TensorEnd(b))


def _write_options(b: flatbuffers.Builder, op: _Op) -> tuple[int, int]:
    """Serialize the op's options table; returns (BuiltinOptions type, offset)."""
    o = op.options
    kinds = tflite.BuiltinOptions
    act = _ACTIVATIONS[o.activation]
    match op.name:
        case "CONV_2D":
            tflite.Conv2DOptionsStart(b)
            tflite.Conv2DOptionsAddPadding(b, _PADDINGS[o.padding])
            tflite.Conv2DOptionsAddStrideW(b, o.stride_w)
            tflite.Conv2DOptionsAddStrideH(b, o.stride_h)
            tflite.Conv2DOptionsAddDilationWFactor(b, o.dilation_w)
            tflite.Conv2DOptionsAddDilationHFactor(b, o.dilation_h)
            tflite.Conv2DOptionsAddFusedActivationFunction(b, act)
            return kinds.Conv2DOptions, tflite.Conv2DOptionsEnd(b)
        case "DEPTHWISE_CONV_2D":
            tflite.DepthwiseConv2DOptionsStart(b)
            tflite.DepthwiseConv2DOptionsAddPadding(b, _PADDINGS[o.padding])
            tflite.DepthwiseConv2DOptionsAddStrideW(b, o.stride_w)
            tflite.DepthwiseConv2DOptionsAddStrideH(b, o.stride_h)
            tflite.DepthwiseConv2DOptionsAddDepthMultiplier(b, o.depth_multiplier)
            tflite.DepthwiseConv2DOptionsAddDilationWFactor(b, o.dilation_w)
            tflite.DepthwiseConv2DOptionsAddDilationHFactor(b, o.dilation_h)
            tflite.DepthwiseConv2DOptionsAddFusedActivationFunction(b, act)
            return kinds.DepthwiseConv2DOptions, tflite.DepthwiseConv2DOptionsEnd(b)
        case "TRANSPOSE_CONV":
            tflite.TransposeConvOptionsStart(b)
            tflite.TransposeConvOptionsAddPadding(b, _PADDINGS[o.padding])
            tflite.TransposeConvOptionsAddStrideW(b, o.stride_w)
            tflite.TransposeConvOptionsAddStrideH(b, o.stride_h)
            tflite.TransposeConvOptionsAddFusedActivationFunction(b, act)
            return kinds.TransposeConvOptions, tflite.TransposeConvOptionsEnd(b)
        case "FULLY_CONNECTED":
            tflite.FullyConnectedOptionsStart(b)
            tflite.FullyConnectedOptionsAddFusedActivationFunction(b, act)
            tflite.FullyConnectedOptionsAddKeepNumDims(b, o.keep_num_dims)
            return kinds.FullyConnectedOptions, tflite.FullyConnectedOptionsEnd(b)
        case "AVERAGE_POOL_2D" | "MAX_POOL_2D":
            tflite.Pool2DOptionsStart(b)
            tflite.Pool2DOptionsAddPadding(b, _PADDINGS[o.padding])
            tflite.Pool2DOptionsAddStrideW(b, o.stride_w)
            tflite.Pool2DOptionsAddStrideH(b, o.stride_h)
            tflite.Pool2DOptionsAddFilterWidth(b, o.filter_w)
            tflite.Pool2DOptionsAddFilterHeight(b, o.filter_h)
            tflite.Pool2DOptionsAddFusedActivationFunction(b, act)
            return kinds.Pool2DOptions, tflite.Pool2DOptionsEnd(b)
        case "ADD":
            tflite.AddOptionsStart(b)
            tflite.AddOptionsAddFusedActivationFunction(b, act)
            # The schema default (true) restricts int16 ADD to power-of-two scales;
            # the converter writes false, which permits arbitrary scales.
            tflite.AddOptionsAddPotScaleInt16(b, False)
            return kinds.AddOptions, tflite.AddOptionsEnd(b)
        case "SOFTMAX":
            tflite.SoftmaxOptionsStart(b)
            tflite.SoftmaxOptionsAddBeta(b, o.beta)
            return kinds.SoftmaxOptions, tflite.SoftmaxOptionsEnd(b)
        case "SUB":
            tflite.SubOptionsStart(b)
            tflite.SubOptionsAddFusedActivationFunction(b, act)
            # As for ADD: false permits arbitrary int16 scales.
            tflite.SubOptionsAddPotScaleInt16(b, False)
            return kinds.SubOptions, tflite.SubOptionsEnd(b)
        case "MAXIMUM" | "MINIMUM":
            tflite.MaximumMinimumOptionsStart(b)
            return kinds.MaximumMinimumOptions, tflite.MaximumMinimumOptionsEnd(b)
        case "LEAKY_RELU":
            tflite.LeakyReluOptionsStart(b)
            tflite.LeakyReluOptionsAddAlpha(b, o.alpha)
            return kinds.LeakyReluOptions, tflite.LeakyReluOptionsEnd(b)
        case "MUL":
            tflite.MulOptionsStart(b)
            tflite.MulOptionsAddFusedActivationFunction(b, act)
            return kinds.MulOptions, tflite.MulOptionsEnd(b)
        case "CONCATENATION":
            tflite.ConcatenationOptionsStart(b)
            tflite.ConcatenationOptionsAddAxis(b, o.axis)
            tflite.ConcatenationOptionsAddFusedActivationFunction(b, act)
            return kinds.ConcatenationOptions, tflite.ConcatenationOptionsEnd(b)
        case "SPLIT":
            tflite.SplitOptionsStart(b)
            tflite.SplitOptionsAddNumSplits(b, o.num_splits)
            return kinds.SplitOptions, tflite.SplitOptionsEnd(b)
        case "MEAN" | "SUM" | "REDUCE_MAX" | "REDUCE_MIN":
            tflite.ReducerOptionsStart(b)
            tflite.ReducerOptionsAddKeepDims(b, o.keep_dims)
            return kinds.ReducerOptions, tflite.ReducerOptionsEnd(b)
        case "ARG_MAX":
            tflite.ArgMaxOptionsStart(b)
            tflite.ArgMaxOptionsAddOutputType(b, _DTYPES[o.output_type][0])
            return kinds.ArgMaxOptions, tflite.ArgMaxOptionsEnd(b)
        case "ARG_MIN":
            tflite.ArgMinOptionsStart(b)
            tflite.ArgMinOptionsAddOutputType(b, _DTYPES[o.output_type][0])
            return kinds.ArgMinOptions, tflite.ArgMinOptionsEnd(b)
        case "RESIZE_BILINEAR":
            tflite.ResizeBilinearOptionsStart(b)
            tflite.ResizeBilinearOptionsAddAlignCorners(b, o.align_corners)
            tflite.ResizeBilinearOptionsAddHalfPixelCenters(b, o.half_pixel_centers)
            return kinds.ResizeBilinearOptions, tflite.ResizeBilinearOptionsEnd(b)
        case "RESIZE_NEAREST_NEIGHBOR":
            tflite.ResizeNearestNeighborOptionsStart(b)
            tflite.ResizeNearestNeighborOptionsAddAlignCorners(b, o.align_corners)
            tflite.ResizeNearestNeighborOptionsAddHalfPixelCenters(b, o.half_pixel_centers)
            return kinds.ResizeNearestNeighborOptions, tflite.ResizeNearestNeighborOptionsEnd(b)
        case "L2_NORMALIZATION":
            tflite.L2NormOptionsStart(b)
            tflite.L2NormOptionsAddFusedActivationFunction(b, act)
            return kinds.L2NormOptions, tflite.L2NormOptionsEnd(b)
        case "L2_POOL_2D":
            tflite.Pool2DOptionsStart(b)
            tflite.Pool2DOptionsAddPadding(b, _PADDINGS[o.padding])
            tflite.Pool2DOptionsAddStrideW(b, o.stride_w)
            tflite.Pool2DOptionsAddStrideH(b, o.stride_h)
            tflite.Pool2DOptionsAddFilterWidth(b, o.filter_w)
            tflite.Pool2DOptionsAddFilterHeight(b, o.filter_h)
            tflite.Pool2DOptionsAddFusedActivationFunction(b, act)
            return kinds.Pool2DOptions, tflite.Pool2DOptionsEnd(b)
        case "BATCH_MATMUL":
            tflite.BatchMatMulOptionsStart(b)
            tflite.BatchMatMulOptionsAddAdjX(b, o.adj_x)
            tflite.BatchMatMulOptionsAddAdjY(b, o.adj_y)
            return kinds.BatchMatMulOptions, tflite.BatchMatMulOptionsEnd(b)
        case "RESHAPE":
            new_shape = _int32_vector(b, o.new_shape)
            tflite.ReshapeOptionsStart(b)
            tflite.ReshapeOptionsAddNewShape(b, new_shape)
            return kinds.ReshapeOptions, tflite.ReshapeOptionsEnd(b)
        case "SHAPE":
            tflite.ShapeOptionsStart(b)
            tflite.ShapeOptionsAddOutType(b, tflite.TensorType.INT32)
            return kinds.ShapeOptions, tflite.ShapeOptionsEnd(b)
        case "STRIDED_SLICE":
            tflite.StridedSliceOptionsStart(b)
            tflite.StridedSliceOptionsAddBeginMask(b, o.begin_mask)
            tflite.StridedSliceOptionsAddEndMask(b, o.end_mask)
            tflite.StridedSliceOptionsAddEllipsisMask(b, o.ellipsis_mask)
            tflite.StridedSliceOptionsAddNewAxisMask(b, o.new_axis_mask)
            tflite.StridedSliceOptionsAddShrinkAxisMask(b, o.shrink_axis_mask)
            tflite.StridedSliceOptionsAddOffset(b, o.offset)
            return kinds.StridedSliceOptions, tflite.StridedSliceOptionsEnd(b)
        case "PACK":
            tflite.PackOptionsStart(b)
            tflite.PackOptionsAddValuesCount(b, len(op.inputs))
            tflite.PackOptionsAddAxis(b, o.axis)
            return kinds.PackOptions, tflite.PackOptionsEnd(b)
        case "GATHER":
            tflite.GatherOptionsStart(b)
            tflite.GatherOptionsAddAxis(b, o.axis)
            tflite.GatherOptionsAddBatchDims(b, o.batch_dims)
            return kinds.GatherOptions, tflite.GatherOptionsEnd(b)
        case "SQUEEZE":
            dims = _int32_vector(b, o.squeeze_dims)
            tflite.SqueezeOptionsStart(b)
            tflite.SqueezeOptionsAddSqueezeDims(b, dims)
            return kinds.SqueezeOptions, tflite.SqueezeOptionsEnd(b)
        case "EXPAND_DIMS":
            tflite.ExpandDimsOptionsStart(b)
            return kinds.ExpandDimsOptions, tflite.ExpandDimsOptionsEnd(b)
        case "MIRROR_PAD":
            tflite.MirrorPadOptionsStart(b)
            tflite.MirrorPadOptionsAddMode(b, getattr(tflite.MirrorPadMode, o.mode))
            return kinds.MirrorPadOptions, tflite.MirrorPadOptionsEnd(b)
        case "UNPACK":
            tflite.UnpackOptionsStart(b)
            tflite.UnpackOptionsAddNum(b, len(op.outputs))
            tflite.UnpackOptionsAddAxis(b, o.axis)
            return kinds.UnpackOptions, tflite.UnpackOptionsEnd(b)
        case "SPLIT_V":
            tflite.SplitVOptionsStart(b)
            tflite.SplitVOptionsAddNumSplits(b, o.num_splits)
            return kinds.SplitVOptions, tflite.SplitVOptionsEnd(b)
        case "DEPTH_TO_SPACE":
            tflite.DepthToSpaceOptionsStart(b)
            tflite.DepthToSpaceOptionsAddBlockSize(b, o.block_size)
            return kinds.DepthToSpaceOptions, tflite.DepthToSpaceOptionsEnd(b)
        case "SPACE_TO_DEPTH":
            tflite.SpaceToDepthOptionsStart(b)
            tflite.SpaceToDepthOptionsAddBlockSize(b, o.block_size)
            return kinds.SpaceToDepthOptions, tflite.SpaceToDepthOptionsEnd(b)
        case "PAD" | "PADV2" | "SLICE" | "TRANSPOSE" | "TILE" | "BATCH_TO_SPACE_ND" | "SPACE_TO_BATCH_ND":
            name = {"PADV2": "PadV2", "BATCH_TO_SPACE_ND": "BatchToSpaceND", "SPACE_TO_BATCH_ND": "SpaceToBatchND"}.get(
                op.name, op.name.title())
            getattr(tflite, f"{name}OptionsStart")(b)
            return getattr(kinds, f"{name}Options"), getattr(tflite, f"{name}OptionsEnd")(b)
        case _:
            return kinds.NONE, 0


def _write_operator(b: flatbuffers.Builder, op: _Op, opcode_index: int) -> int:
    inputs_vec = _int32_vector(b, op.inputs)
    outputs_vec = _int32_vector(b, op.outputs)
    options_type, options = _write_options(b, op)
    custom_vec = b.CreateByteVector(op.options.custom_options) if op.options.custom_options else None
    tflite.OperatorStart(b)
    tflite.OperatorAddOpcodeIndex(b, opcode_index)
    tflite.OperatorAddInputs(b, inputs_vec)
    tflite.OperatorAddOutputs(b, outputs_vec)
    if options_type != tflite.BuiltinOptions.NONE:
        tflite.OperatorAddBuiltinOptionsType(b, options_type)
        tflite.OperatorAddBuiltinOptions(b, options)
    if custom_vec is not None:
        tflite.OperatorAddCustomOptions(b, custom_vec)
        tflite.OperatorAddCustomOptionsFormat(b, tflite.CustomOptionsFormat.FLEXBUFFERS)
    return int(tflite.OperatorEnd(b))


def _write_opcode(b: flatbuffers.Builder, key: tuple[int, str], version: int) -> int:
    code, custom_code = key
    custom = b.CreateString(custom_code) if custom_code else None
    tflite.OperatorCodeStart(b)
    tflite.OperatorCodeAddDeprecatedBuiltinCode(b, min(code, _PLACEHOLDER_FOR_GREATER_OP_CODES))
    tflite.OperatorCodeAddBuiltinCode(b, code)
    if custom is not None:
        tflite.OperatorCodeAddCustomCode(b, custom)
    tflite.OperatorCodeAddVersion(b, version)
    return int(tflite.OperatorCodeEnd(b))


def make_dscnn_kws(seed: int = 0) -> bytes:
    """An int8 DS-CNN shaped like MLPerf Tiny's kws_ref_model, with random weights.

    input [1,49,10,1] -> CONV_2D 10x4/2 (64) -> 4 x (DEPTHWISE_CONV_2D 3x3, CONV_2D 1x1)
    -> AVERAGE_POOL_2D 25x5 -> RESHAPE [1,64] -> FULLY_CONNECTED 12 -> SOFTMAX
    (output scale 1/256, zero point -128). The same seed gives the same bytes.

    Random weights alone would make activations vanish, explode or ignore the input, so
    each layer is normalized on a float calibration batch (as a folded batch norm would)
    and activation ranges are taken from that same batch.
    """
    rng = np.random.default_rng(seed)
    x = _kws_calibration_inputs(rng, 16)
    q = _range_qparams(x)
    # Tests mostly feed uniform random int8, which is far noisier than speech features;
    # calibrating on both keeps either kind of input from saturating the logits.
    noise = rng.integers(-128, 128, (16, *x.shape[1:]))
    x = np.concatenate([x, (noise - int(np.asarray(q.zero_point))) * _scale(q)])
    mb = ModelBuilder()
    t = mb.tensor([1, 49, 10, 1], "int8", q=q, name="input")

    layers = [("CONV_2D", 10, 4, 2)] + [("DEPTHWISE_CONV_2D", 3, 3, 1), ("CONV_2D", 1, 1, 1)] * 4
    for n, (kind, kh, kw, stride) in enumerate(layers):
        x, t, q = _add_kws_conv(mb, rng, f"conv{n}", kind, (kh, kw), stride, x, t, q)

    # Pooling and reshape only move int8 values, so TFLite requires unchanged qparams.
    _, h, w, c = x.shape
    pooled = mb.tensor([1, 1, 1, c], "int8", q=q, name="avg_pool")
    mb.op("AVERAGE_POOL_2D", [t], [pooled], padding="VALID", filter_h=h, filter_w=w, stride_h=h, stride_w=w)
    flat = mb.tensor([1, c], "int8", q=q, name="flatten")
    mb.op("RESHAPE", [pooled], [flat])
    features = x.mean(axis=(1, 2))

    # Pooled features barely change between inputs; normalizing each logit over the batch
    # turns those differences into logits spread enough for the softmax output to move.
    weights = rng.standard_normal((12, c))
    logits = features @ weights.T
    mean, std = logits.mean(axis=0), logits.std(axis=0) + 1e-6
    weights *= (2.0 / std)[:, None]
    bias = -mean * 2.0 / std + rng.normal(0.0, 0.5, 12)
    logits = features @ weights.T + bias
    w_scale = float(np.abs(weights).max()) / 127
    in_scale = _scale(q)
    wt = mb.tensor([12, c], "int8", q=QParams(w_scale, 0), data=_round(weights / w_scale, np.int8), name="fc/w")
    bt = mb.tensor(
        [12], "int32", q=QParams(in_scale * w_scale, 0), data=_round(bias / (in_scale * w_scale), np.int32), name="fc/b"
    )
    out = mb.tensor([1, 12], "int8", q=_range_qparams(logits), name="logits")
    mb.op("FULLY_CONNECTED", [flat, wt, bt], [out])
    probs = mb.tensor([1, 12], "int8", q=QParams(1 / 256, -128), name="probabilities")
    mb.op("SOFTMAX", [out], [probs])
    return mb.build([0], [probs])


def _kws_calibration_inputs(rng: np.random.Generator, n: int) -> np.ndarray:
    """MFCC-like float inputs: a per-utterance spectral shape plus frame-to-frame noise."""
    spectral_shape = rng.normal(0.0, 2.0, (n, 1, 10, 1))
    return spectral_shape + rng.normal(0.0, 1.0, (n, 49, 10, 1))


def _add_kws_conv(
    mb: ModelBuilder,
    rng: np.random.Generator,
    name: str,
    kind: str,
    kernel: tuple[int, int],
    stride: int,
    x: np.ndarray,
    x_tensor: int,
    x_q: QParams,
) -> tuple[np.ndarray, int, QParams]:
    """Add one conv+ReLU layer; returns its float calibration output, tensor and qparams."""
    depthwise = kind == "DEPTHWISE_CONV_2D"
    channels = x.shape[3] if depthwise else 64
    axis = 3 if depthwise else 0
    w = rng.standard_normal((1, *kernel, channels) if depthwise else (channels, *kernel, x.shape[3]))
    z = _conv_same(x, w, stride, depthwise)
    # Fold a batch norm fitted to the batch, plus a random shift so ReLUs differ per channel.
    mean, std = z.mean(axis=(0, 1, 2)), z.std(axis=(0, 1, 2)) + 1e-6
    w /= _along(std, axis)
    bias = -mean / std + rng.normal(0.3, 0.5, channels)
    y = np.maximum(_conv_same(x, w, stride, depthwise) + bias, 0.0)

    other_axes = tuple(a for a in range(4) if a != axis)
    w_scale = np.maximum(np.abs(w).max(axis=other_axes), 1e-12) / 127
    b_scale = _scale(x_q) * w_scale
    w_q = QParams(w_scale.tolist(), 0, axis)
    wt = mb.tensor(w.shape, "int8", q=w_q, data=_round(w / _along(w_scale, axis), np.int8), name=f"{name}/w")
    b_q = QParams(b_scale.tolist(), 0)
    bt = mb.tensor([channels], "int32", q=b_q, data=_round(bias / b_scale, np.int32), name=f"{name}/b")
    y_q = _range_qparams(y)
    yt = mb.tensor([1, *y.shape[1:]], "int8", q=y_q, name=name)
    mb.op(kind, [x_tensor, wt, bt], [yt], padding="SAME", stride_h=stride, stride_w=stride, activation="RELU")
    return y, yt, y_q


def _conv_same(x: np.ndarray, w: np.ndarray, stride: int, depthwise: bool) -> np.ndarray:
    """Float NHWC convolution with TFLite SAME padding (extra padding goes bottom/right)."""
    _, h, wd, _ = x.shape
    kh, kw = w.shape[1:3]
    oh, ow = -(-h // stride), -(-wd // stride)
    ph, pw = max((oh - 1) * stride + kh - h, 0), max((ow - 1) * stride + kw - wd, 0)
    xp = np.pad(x, ((0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)))
    win = np.lib.stride_tricks.sliding_window_view(xp, (kh, kw), axis=(1, 2))[:, ::stride, ::stride]
    out: np.ndarray
    if depthwise:
        out = np.einsum("nhwcij,ijc->nhwc", win, w[0], optimize=True)
    else:
        out = np.einsum("nhwcij,oijc->nhwo", win, w, optimize=True)
    return out


def _along(v: np.ndarray, axis: int) -> np.ndarray:
    """Reshape a per-channel vector to broadcast along `axis` of a 4-D array."""
    return v.reshape([-1 if a == axis else 1 for a in range(4)])


def _round(v: np.ndarray, dtype: type[np.integer[Any]]) -> np.ndarray:
    info = np.iinfo(dtype)
    return np.clip(np.round(v), info.min, info.max).astype(dtype)


def _scale(q: QParams) -> float:
    return float(np.asarray(q.scale))


def _range_qparams(v: np.ndarray) -> QParams:
    """Asymmetric int8 parameters covering v's range; the range always includes 0.0 so it is exact."""
    lo, hi = min(float(v.min()), 0.0), max(float(v.max()), 0.0)
    scale = (hi - lo) / 255 or 1.0
    return QParams(scale, int(np.clip(round(-128 - lo / scale), -128, 127)))
