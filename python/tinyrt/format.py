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
VERSION = 1
MAX_DIMS = 4
MAX_OP_INPUTS = 5
HEADER_CRC_START = 16
ALIGN = 4


class DType(enum.IntEnum):
    INT8 = 1
    INT32 = 2
    FLOAT32 = 3

    @property
    def size(self) -> int:
        return 1 if self is DType.INT8 else 4


class Storage(enum.IntEnum):
    ARENA = 1
    CONST = 2


class OpType(enum.IntEnum):
    CONV_2D = 1
    DEPTHWISE_CONV_2D = 2
    DEPTHWISE_CONV_2D_INPLACE = 3
    FULLY_CONNECTED = 4
    AVERAGE_POOL_2D = 5
    MAX_POOL_2D = 6
    ADD = 7
    SOFTMAX = 8
    RESHAPE = 9
    QUANTIZE = 10
    REQUANTIZE = 11
    DEQUANTIZE = 12
    CONV_2D_INPLACE = 13


class Variant(enum.IntEnum):
    REF = 0


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
    "u:n_inputs u:inputs_off u:n_outputs u:outputs_off u:data_off u:data_len u:flags",
)
TENSOR = _struct(
    "trt_tensor_desc_t",
    f"u:type u:storage u:offset u:bytes u:rank i:dims[{MAX_DIMS}] i:zero_point u:scale_bits",
)
OP = _struct(
    "trt_op_desc_t",
    f"u:type u:variant u:params_off u:params_len i:inputs[{MAX_OP_INPUTS}] i:output u:scratch_off u:scratch_bytes",
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

PARAMS: dict[OpType, Struct | None] = {
    OpType.CONV_2D: CONV_PARAMS,
    OpType.DEPTHWISE_CONV_2D: CONV_PARAMS,
    OpType.DEPTHWISE_CONV_2D_INPLACE: CONV_PARAMS,
    OpType.FULLY_CONNECTED: FC_PARAMS,
    OpType.AVERAGE_POOL_2D: POOL_PARAMS,
    OpType.MAX_POOL_2D: POOL_PARAMS,
    OpType.ADD: ADD_PARAMS,
    OpType.SOFTMAX: SOFTMAX_PARAMS,
    OpType.RESHAPE: None,
    OpType.QUANTIZE: QUANTIZE_PARAMS,
    OpType.REQUANTIZE: REQUANTIZE_PARAMS,
    OpType.DEQUANTIZE: DEQUANTIZE_PARAMS,
    OpType.CONV_2D_INPLACE: CONV_PARAMS,
}

ALL_STRUCTS = [HEADER, TENSOR, OP, *{s.c_name: s for s in PARAMS.values() if s is not None}.values()]


def float_bits(x: float) -> int:
    """IEEE-754 float32 bit pattern of x, as a signed int32 (param fields are int32_t)."""
    return int(struct.unpack("<i", struct.pack("<f", x))[0])


def crc32(data: bytes) -> int:
    return zlib.crc32(data) & 0xFFFFFFFF


def align(n: int, to: int = ALIGN) -> int:
    return (n + to - 1) // to * to
