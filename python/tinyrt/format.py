"""The one Python definition of the tinyrt blob layout.

Mirrors runtime/include/tinyrt/format.h and the param structs of
kernels/include/tinyrt/kernels.h; tests/test_format.py checks every size,
offset and enum value against the C headers through cffi.
"""

from __future__ import annotations

import enum
import struct
import zlib
from dataclasses import dataclass

MAGIC = 0x31545254  # "TRT1"
VERSION = 2
MAX_DIMS = 4
HEADER_CRC_START = 16
ALIGN = 4


class DType(enum.IntEnum):
    INT8 = 1
    INT32 = 2
    FLOAT32 = 3
    INT16 = 4
    INT4 = 5  # packed two per byte, low nibble first
    INT64 = 6  # 4-byte aligned like every tensor

    @property
    def bits(self) -> int:
        return {DType.INT4: 4, DType.INT8: 8, DType.INT16: 16, DType.INT64: 64}.get(self, 32)

    def nbytes(self, elements: int) -> int:
        return (elements * self.bits + 7) // 8


class Storage(enum.IntEnum):
    ARENA = 1
    CONST = 2
    PERSISTENT = 3  # arena space of its own, kept across invocations


# The op list of runtime/include/tinyrt/op_list.h, in its order (numbers from 1).
class OpType(enum.IntEnum):
    CONV_2D = 1
    DEPTHWISE_CONV_2D = 2
    FULLY_CONNECTED = 3
    AVERAGE_POOL_2D = 4
    MAX_POOL_2D = 5
    ADD = 6
    SOFTMAX = 7
    RESHAPE = 8
    QUANTIZE = 9  # float32 -> int8
    REQUANTIZE = 10  # int8 -> int8 (the converter now lowers it to LUT)
    DEQUANTIZE = 11  # int8 -> float32
    MUL = 12
    CONCATENATION = 13
    SPLIT = 14
    MEAN = 15
    SUB = 16  # ADD's params, input 2 subtracted
    MAXIMUM = 17
    MINIMUM = 18
    TRANSPOSE_CONV = 19
    COPY = 20  # data movement as strided copies (PAD, SLICE, TRANSPOSE, GATHER, ...)
    SUM = 21  # MEAN's params and kernel, the multiplier without 1/n
    REDUCE_MAX = 22
    REDUCE_MIN = 23
    ARG_MAX = 24
    ARG_MIN = 25
    RESIZE_NEAREST_NEIGHBOR = 26  # source table: input 1
    RESIZE_BILINEAR = 27
    L2_NORMALIZATION = 28
    BATCH_MATMUL = 29
    LUT = 30  # any int8 -> int8 unary function: a constant 256-byte table
    PRELU = 31
    SQUARED_DIFFERENCE = 32  # ADD's params, left shift 7, difference squared


# Ops the converter no longer writes, kept in the runtime so older blobs load:
# REQUANTIZE (int8 -> int8 QUANTIZE, now a LUT).
LEGACY_OPS = frozenset({OpType.REQUANTIZE})


class Variant(enum.IntEnum):
    REF = 0
    REF_INPLACE = 1  # output 0 over input 0
    DSP = 2  # ARMv7E-M DSP (kernels/arm_dsp), general shapes
    DSP_INPLACE = 3
    DSP_1X1 = 4
    DSP_1X1_INPLACE = 5
    DSP_3X3 = 6
    DSP_3X3_INPLACE = 7

    @property
    def inplace(self) -> bool:
        """Output 0 is written over input 0: the planner gives them one buffer."""
        return self.name.endswith("INPLACE")


# The (op, variant) pairs each kernel directory provides (TRT_KERNELS_<DIR> in op_list.h).
KERNELS: dict[str, tuple[tuple[OpType, Variant], ...]] = {
    "ref": (
        *((op, Variant.REF) for op in OpType),
        (OpType.CONV_2D, Variant.REF_INPLACE),
        (OpType.DEPTHWISE_CONV_2D, Variant.REF_INPLACE),
        *((op, Variant.REF_INPLACE) for op in (OpType.ADD, OpType.SUB, OpType.MUL, OpType.MAXIMUM, OpType.MINIMUM,
                                               OpType.LUT, OpType.PRELU, OpType.SQUARED_DIFFERENCE)),
        (OpType.COPY, Variant.REF_INPLACE),  # PAD, PADV2
    ),
    "arm_dsp": (
        (OpType.CONV_2D, Variant.DSP),
        (OpType.CONV_2D, Variant.DSP_INPLACE),
        (OpType.ADD, Variant.DSP),
        (OpType.ADD, Variant.DSP_INPLACE),
        (OpType.SUB, Variant.DSP),
        (OpType.SUB, Variant.DSP_INPLACE),
        (OpType.AVERAGE_POOL_2D, Variant.DSP),
        (OpType.DEPTHWISE_CONV_2D, Variant.DSP),
        (OpType.DEPTHWISE_CONV_2D, Variant.DSP_INPLACE),
        (OpType.DEPTHWISE_CONV_2D, Variant.DSP_3X3),
        (OpType.DEPTHWISE_CONV_2D, Variant.DSP_3X3_INPLACE),
        (OpType.FULLY_CONNECTED, Variant.DSP),
    ),
}


class Status(enum.IntEnum):
    OK = 0
    ERR_ARG = -1
    ERR_ALIGN = -2
    ERR_MAGIC = -3
    ERR_VERSION = -4
    ERR_TRUNCATED = -5
    ERR_CRC = -6
    ERR_SECTION = -7
    ERR_TENSOR = -8
    ERR_OP = -9
    ERR_OP_PARAMS = -10
    ERR_ARENA_SIZE = -11
    ERR_NOT_READY = -12
    ERR_INDEX = -13
    ERR_OP_NOT_LINKED = -14
    ERR_OLD_VERSION = -15


@dataclass(frozen=True)
class Struct:
    """A C struct of 32-bit fields. A field `name[N]` is an array."""

    c_name: str
    fields: tuple[tuple[str, str, int], ...]  # (name, 'I' or 'i', count)

    @property
    def fmt(self) -> str:
        return "<" + "".join(f"{n}{code}" for _, code, n in self.fields)

    @property
    def size(self) -> int:
        return struct.calcsize(self.fmt)

    @property
    def names(self) -> list[str]:
        return [name for name, _, _ in self.fields]

    def offset(self, name: str) -> int:
        off = 0
        for fname, _, n in self.fields:
            if fname == name:
                return off
            off += 4 * n
        raise KeyError(name)

    def pack(self, **values: int | list[int]) -> bytes:
        missing = set(self.names) - set(values)
        extra = set(values) - set(self.names)
        if missing or extra:
            raise ValueError(f"{self.c_name}: missing {sorted(missing)}, unknown {sorted(extra)}")
        flat: list[int] = []
        for name, _, n in self.fields:
            v = values[name]
            items = list(v) if isinstance(v, (list, tuple)) else [v]
            if len(items) != n:
                raise ValueError(f"{self.c_name}.{name}: expected {n} values, got {len(items)}")
            flat.extend(int(x) for x in items)
        return struct.pack(self.fmt, *flat)

    def unpack(self, data: bytes, offset: int = 0) -> dict[str, int | list[int]]:
        flat = list(struct.unpack_from(self.fmt, data, offset))
        out: dict[str, int | list[int]] = {}
        for name, _, n in self.fields:
            out[name] = flat[0] if n == 1 else flat[:n]
            del flat[:n]
        return out


def _struct(c_name: str, spec: str) -> Struct:
    """Struct from 'u:name i:name[4] ...': u = uint32_t, i = int32_t."""
    fields = []
    for item in spec.split():
        kind, name = item.split(":")
        count = 1
        if name.endswith("]"):
            name, n = name[:-1].split("[")
            count = int(n)
        fields.append((name, "I" if kind == "u" else "i", count))
    return Struct(c_name, tuple(fields))


HEADER = _struct(
    "trt_blob_header_t",
    "u:magic u:version u:total_len u:crc32 u:arena_bytes u:n_tensors u:tensors_off u:n_ops u:ops_off "
    "u:n_operands u:operands_off u:n_inputs u:inputs_off u:n_outputs u:outputs_off u:data_off u:data_len u:flags",
)
TENSOR = _struct(
    "trt_tensor_desc_t",
    f"u:type u:storage u:offset u:bytes u:rank i:dims[{MAX_DIMS}] i:zero_point u:scale_bits",
)
OP = _struct(
    "trt_op_desc_t",
    "u:type u:variant u:params_off u:params_len u:operands u:n_inputs u:n_outputs u:scratch_off u:scratch_bytes",
)

CONV_PARAMS = _struct(
    "trt_conv_params_t",
    "i:stride_h i:stride_w i:dilation_h i:dilation_w i:pad_top i:pad_left i:input_offset i:output_offset "
    "i:act_min i:act_max i:depth_multiplier",
)
FC_PARAMS = _struct("trt_fc_params_t", "i:input_offset i:output_offset i:act_min i:act_max")
POOL_PARAMS = _struct(
    "trt_pool_params_t", "i:stride_h i:stride_w i:filter_h i:filter_w i:pad_top i:pad_left i:act_min i:act_max"
)
ADD_PARAMS = _struct(
    "trt_add_params_t",
    "i:input1_offset i:input1_multiplier i:input1_shift i:input2_offset i:input2_multiplier i:input2_shift "
    "i:left_shift i:output_offset i:output_multiplier i:output_shift i:act_min i:act_max",
)
SOFTMAX_PARAMS = _struct("trt_softmax_params_t", "i:input_multiplier i:input_left_shift i:diff_min")
QUANTIZE_PARAMS = _struct("trt_quantize_params_t", "i:scale_bits i:zero_point")
REQUANTIZE_PARAMS = _struct("trt_requantize_params_t", "i:input_offset i:multiplier i:shift i:output_offset")
DEQUANTIZE_PARAMS = _struct("trt_dequantize_params_t", "i:scale_bits i:zero_point")
MUL_PARAMS = _struct(
    "trt_mul_params_t",
    "i:input1_offset i:input2_offset i:output_offset i:output_multiplier i:output_shift i:act_min i:act_max",
)
CONCAT_PARAMS = _struct("trt_concat_params_t", "i:axis")
SPLIT_PARAMS = _struct("trt_split_params_t", "i:axis")
PRELU_PARAMS = _struct(
    "trt_prelu_params_t",
    "i:input_offset i:alpha_offset i:output_offset i:output_multiplier_1 i:output_shift_1 i:output_multiplier_2 "
    "i:output_shift_2",
)
MEAN_PARAMS = _struct("trt_mean_params_t", "i:axes i:input_offset i:output_offset i:multiplier i:shift")
TCONV_PARAMS = _struct(
    "trt_tconv_params_t",
    "i:stride_h i:stride_w i:pad_top i:pad_left i:input_offset i:output_offset i:act_min i:act_max",
)
COPY_DIMS = 6
COPY_PARAMS = _struct("trt_copy_params_t", "i:fill i:fill_value")
# One row of COPY's constant pieces table (an INT32 tensor [pieces, 22]).
COPY_PIECE = _struct(
    "trt_copy_piece_t",
    f"i:input i:output i:in_offset i:out_offset i:count[{COPY_DIMS}] i:in_stride[{COPY_DIMS}] "
    f"i:out_stride[{COPY_DIMS}]",
)
REDUCE_PARAMS = _struct("trt_reduce_params_t", "i:axes")
ARG_PARAMS = _struct("trt_arg_params_t", "i:axis i:int64_output")
L2NORM_PARAMS = _struct("trt_l2norm_params_t", "i:input_offset")
BATCH_MATMUL_PARAMS = _struct(
    "trt_batch_matmul_params_t", "i:lhs_offset i:rhs_offset i:output_offset i:multiplier i:shift i:adj_x i:adj_y"
)

# Each op's params struct (the third column of TRT_OP_LIST), None where it has none.
PARAMS: dict[OpType, Struct | None] = {
    OpType.CONV_2D: CONV_PARAMS,
    OpType.DEPTHWISE_CONV_2D: CONV_PARAMS,
    OpType.FULLY_CONNECTED: FC_PARAMS,
    OpType.AVERAGE_POOL_2D: POOL_PARAMS,
    OpType.MAX_POOL_2D: POOL_PARAMS,
    OpType.ADD: ADD_PARAMS,
    OpType.SOFTMAX: SOFTMAX_PARAMS,
    OpType.RESHAPE: None,
    OpType.QUANTIZE: QUANTIZE_PARAMS,
    OpType.REQUANTIZE: REQUANTIZE_PARAMS,
    OpType.DEQUANTIZE: DEQUANTIZE_PARAMS,
    OpType.MUL: MUL_PARAMS,
    OpType.CONCATENATION: CONCAT_PARAMS,
    OpType.SPLIT: SPLIT_PARAMS,
    OpType.MEAN: MEAN_PARAMS,
    OpType.SUB: ADD_PARAMS,
    OpType.MAXIMUM: None,
    OpType.MINIMUM: None,
    OpType.TRANSPOSE_CONV: TCONV_PARAMS,
    OpType.COPY: COPY_PARAMS,
    OpType.SUM: MEAN_PARAMS,
    OpType.REDUCE_MAX: REDUCE_PARAMS,
    OpType.REDUCE_MIN: REDUCE_PARAMS,
    OpType.ARG_MAX: ARG_PARAMS,
    OpType.ARG_MIN: ARG_PARAMS,
    OpType.RESIZE_NEAREST_NEIGHBOR: None,
    OpType.RESIZE_BILINEAR: None,
    OpType.L2_NORMALIZATION: L2NORM_PARAMS,
    OpType.BATCH_MATMUL: BATCH_MATMUL_PARAMS,
    OpType.LUT: None,
    OpType.PRELU: PRELU_PARAMS,
    OpType.SQUARED_DIFFERENCE: ADD_PARAMS,
}

ALL_STRUCTS = [HEADER, TENSOR, OP, COPY_PIECE, *{s.c_name: s for s in PARAMS.values() if s is not None}.values()]


def float_bits(x: float) -> int:
    """IEEE-754 float32 bit pattern of x, as a signed int32 (param fields are int32_t)."""
    return int(struct.unpack("<i", struct.pack("<f", x))[0])


def crc32(data: bytes) -> int:
    return zlib.crc32(data) & 0xFFFFFFFF


def align(n: int, to: int = ALIGN) -> int:
    return (n + to - 1) // to * to
