"""A structural verifier for the parts of a .tflite flatbuffer that
tinyrt.tflite reads, run before any accessor of the `tflite` package touches
the bytes (those accessors trust every offset and would otherwise raise
struct.error, IndexError, UnicodeDecodeError... or read garbage).

It checks, like flatbuffers' own C++ Verifier: the root offset; for every
table reached, its vtable (offset, alignment, size) and the table size, and
each field the reader uses inside the table; every vector (offset, alignment,
length * element size inside the buffer); every string (length, terminating
NUL, valid UTF-8); the builtin options table of each operator as the table
its op's reader expects. The schema below lists, per table, field index ->
kind; fields not listed are never read and so not checked.

Offsets are unsigned and point forward (only vtables may sit before their
table), so the walk visits each reference once and always ends.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass

# Per table, field index -> (name, kind). Kinds: a scalar of n bytes ("s1", "s2", "s4", "s8"), a string ("str"),
# a vector of scalars of n bytes ("v1", "v4", "v8"), a table ("t:Name"), a
# vector of tables ("vt:Name"), the Operator's builtin options union ("union").
SCHEMA: dict[str, dict[int, tuple[str, str]]] = {
    "Model": {0: ("version", "s4"), 1: ("operator_codes", "vt:OperatorCode"), 2: ("subgraphs", "vt:SubGraph"),
              3: ("description", "str"), 4: ("buffers", "vt:Buffer")},
    "SubGraph": {0: ("tensors", "vt:Tensor"), 1: ("inputs", "v4"), 2: ("outputs", "v4"),
                 3: ("operators", "vt:Operator"), 4: ("name", "str")},
    "Tensor": {0: ("shape", "v4"), 1: ("type", "s1"), 2: ("buffer", "s4"), 3: ("name", "str"),
               4: ("quantization", "t:QuantizationParameters"), 5: ("is_variable", "s1")},
    "QuantizationParameters": {2: ("scale", "v4"), 3: ("zero_point", "v8"), 6: ("quantized_dimension", "s4")},
    "Buffer": {0: ("data", "v1"), 1: ("offset", "s8"), 2: ("size", "s8")},
    "Operator": {0: ("opcode_index", "s4"), 1: ("inputs", "v4"), 2: ("outputs", "v4"),
                 3: ("builtin_options_type", "s1"), 4: ("builtin_options", "union")},
    "OperatorCode": {0: ("deprecated_builtin_code", "s1"), 1: ("custom_code", "str"), 2: ("version", "s4"),
                     3: ("builtin_code", "s4")},
    # Builtin options tables read by tflite._options.
    "Conv2DOptions": {0: ("padding", "s1"), 1: ("stride_w", "s4"), 2: ("stride_h", "s4"),
                      3: ("fused_activation_function", "s1"), 4: ("dilation_w_factor", "s4"),
                      5: ("dilation_h_factor", "s4")},
    "DepthwiseConv2DOptions": {0: ("padding", "s1"), 1: ("stride_w", "s4"), 2: ("stride_h", "s4"),
                               3: ("depth_multiplier", "s4"), 4: ("fused_activation_function", "s1"),
                               5: ("dilation_w_factor", "s4"), 6: ("dilation_h_factor", "s4")},
    "TransposeConvOptions": {0: ("padding", "s1"), 1: ("stride_w", "s4"), 2: ("stride_h", "s4"),
                             3: ("fused_activation_function", "s1")},
    "Pool2DOptions": {0: ("padding", "s1"), 1: ("stride_w", "s4"), 2: ("stride_h", "s4"), 3: ("filter_width", "s4"),
                      4: ("filter_height", "s4"), 5: ("fused_activation_function", "s1")},
    "FullyConnectedOptions": {0: ("fused_activation_function", "s1"), 1: ("weights_format", "s1"),
                              2: ("keep_num_dims", "s1")},
    "AddOptions": {0: ("fused_activation_function", "s1")},
    "SoftmaxOptions": {0: ("beta", "s4")},
    "MulOptions": {0: ("fused_activation_function", "s1")},
    "SubOptions": {0: ("fused_activation_function", "s1"), 1: ("pot_scale_int16", "s1")},
    "ConcatenationOptions": {0: ("axis", "s4"), 1: ("fused_activation_function", "s1")},
    "SplitOptions": {0: ("num_splits", "s4")},
    "ShapeOptions": {0: ("out_type", "s1")},
    "StridedSliceOptions": {0: ("begin_mask", "s4"), 1: ("end_mask", "s4"), 2: ("ellipsis_mask", "s4"),
                            3: ("new_axis_mask", "s4"), 4: ("shrink_axis_mask", "s4"), 5: ("offset", "s1")},
    "PackOptions": {0: ("values_count", "s4"), 1: ("axis", "s4")},
    "GatherOptions": {0: ("axis", "s4"), 1: ("batch_dims", "s4")},
    "SqueezeOptions": {0: ("squeeze_dims", "v4")},
    "ReducerOptions": {0: ("keep_dims", "s1")},
    "MirrorPadOptions": {0: ("mode", "s1")},
    "UnpackOptions": {0: ("num", "s4"), 1: ("axis", "s4")},
    "SplitVOptions": {0: ("num_splits", "s4")},
    "DepthToSpaceOptions": {0: ("block_size", "s4")},
    "SpaceToDepthOptions": {0: ("block_size", "s4")},
    "ArgMaxOptions": {0: ("output_type", "s1")},
    "ArgMinOptions": {0: ("output_type", "s1")},
    "ResizeBilinearOptions": {2: ("align_corners", "s1"), 3: ("half_pixel_centers", "s1")},
    "ResizeNearestNeighborOptions": {0: ("align_corners", "s1"), 1: ("half_pixel_centers", "s1")},
    "L2NormOptions": {0: ("fused_activation_function", "s1")},
    "BatchMatMulOptions": {0: ("adj_x", "s1"), 1: ("adj_y", "s1"), 2: ("asymmetric_quantize_inputs", "s1")},
    "LeakyReluOptions": {0: ("alpha", "s4")},
}

# BuiltinOperator name -> the options table tflite._options reads for it.
OPTIONS_TABLE = {
    "CONV_2D": "Conv2DOptions",
    "DEPTHWISE_CONV_2D": "DepthwiseConv2DOptions",
    "AVERAGE_POOL_2D": "Pool2DOptions",
    "MAX_POOL_2D": "Pool2DOptions",
    "FULLY_CONNECTED": "FullyConnectedOptions",
    "ADD": "AddOptions",
    "SOFTMAX": "SoftmaxOptions",
    "MUL": "MulOptions",
    "SUB": "SubOptions",
    "CONCATENATION": "ConcatenationOptions",
    "SPLIT": "SplitOptions",
    "SHAPE": "ShapeOptions",
    "STRIDED_SLICE": "StridedSliceOptions",
    "PACK": "PackOptions",
    "GATHER": "GatherOptions",
    "SQUEEZE": "SqueezeOptions",
    "MEAN": "ReducerOptions",
    "TRANSPOSE_CONV": "TransposeConvOptions",
    "MIRROR_PAD": "MirrorPadOptions",
    "UNPACK": "UnpackOptions",
    "SPLIT_V": "SplitVOptions",
    "DEPTH_TO_SPACE": "DepthToSpaceOptions",
    "SPACE_TO_DEPTH": "SpaceToDepthOptions",
    "SUM": "ReducerOptions",
    "REDUCE_MAX": "ReducerOptions",
    "REDUCE_MIN": "ReducerOptions",
    "ARG_MAX": "ArgMaxOptions",
    "ARG_MIN": "ArgMinOptions",
    "RESIZE_BILINEAR": "ResizeBilinearOptions",
    "RESIZE_NEAREST_NEIGHBOR": "ResizeNearestNeighborOptions",
    "L2_NORMALIZATION": "L2NormOptions",
    "BATCH_MATMUL": "BatchMatMulOptions",
    "LEAKY_RELU": "LeakyReluOptions",
}

MAX_SIZE = 2**31 - 1  # flatbuffers' own limit


class FlatbufferError(ValueError):
    """The bytes are not a well-formed flatbuffer for the tables read."""


@dataclass
class Spot:
    """A place in the buffer the verifier followed: for the mutation fuzzer
    (kind: 'root', 'soffset', 'vtable', 'field', 'uoffset', 'length',
    'scalar', 'elements<size>': a vector's body)."""

    kind: str
    pos: int
    size: int


class Verifier:
    def __init__(self, buf: bytes, op_name: Callable[[int], str | None],
                 spots: list[Spot] | None = None) -> None:
        """`op_name(builtin code)` names an operator code (for its options table)."""
        self.buf = buf
        self.n = len(buf)
        self.op_name = op_name
        self.spots = spots
        self.opcodes: list[str | None] = []

    # -- primitives --------------------------------------------------------
    def fail(self, path: str, why: str) -> FlatbufferError:
        return FlatbufferError(f"{path}: {why}")

    def need(self, pos: int, size: int, path: str, what: str) -> None:
        if pos < 0:
            raise self.fail(path, f"{what} at byte {pos} lies before the start of the file")
        if size < 0 or pos + size > self.n:
            raise self.fail(path, f"{what} at byte {pos} ({size} bytes) runs past the end of the "
                                  f"{self.n}-byte file")

    def u32(self, pos: int) -> int:
        return int(struct.unpack_from("<I", self.buf, pos)[0])

    def spot(self, kind: str, pos: int, size: int) -> None:
        if self.spots is not None:
            self.spots.append(Spot(kind, pos, size))

    def uoffset(self, pos: int, path: str, what: str) -> int:
        """Follow the uoffset stored at pos; returns the target, checked 4 bytes inside."""
        self.need(pos, 4, path, f"offset to {what}")
        if pos % 4:
            raise self.fail(path, f"offset to {what} at byte {pos} is not 4-byte aligned")
        self.spot("uoffset", pos, 4)
        target = pos + self.u32(pos)
        self.need(target, 4, path, what)
        return target

    # -- tables, vectors, strings ------------------------------------------
    def table(self, pos: int, name: str, path: str) -> None:
        self.need(pos, 4, path, "table")
        if pos % 4:
            raise self.fail(path, f"table at byte {pos} is not 4-byte aligned")
        self.spot("soffset", pos, 4)
        vt = pos - int(struct.unpack_from("<i", self.buf, pos)[0])
        self.need(vt, 4, path, "vtable")
        if vt % 2:
            raise self.fail(path, f"vtable at byte {vt} is not 2-byte aligned")
        vt_size, t_size = struct.unpack_from("<HH", self.buf, vt)
        self.spot("vtable", vt, 4)
        if vt_size < 4 or vt_size % 2:
            raise self.fail(path, f"vtable at byte {vt} has size {vt_size}; a vtable has an even size of 4 or more")
        self.need(vt, vt_size, path, "vtable")
        if t_size < 4:
            raise self.fail(path, f"table at byte {pos} has size {t_size}; at least 4 (its vtable offset)")
        self.need(pos, t_size, path, "table")
        n_fields = (vt_size - 4) // 2
        for index, (field, kind) in SCHEMA[name].items():
            if index >= n_fields:
                continue
            self.spot("field", vt + 4 + 2 * index, 2)
            off = struct.unpack_from("<H", self.buf, vt + 4 + 2 * index)[0]
            if off == 0:
                continue
            fpath = f"{path}.{field}"
            size = int(kind[1:]) if kind[0] == "s" and kind[1:].isdigit() else 4
            if off < 4 or off + size > t_size:
                raise self.fail(fpath, f"field at table offset {off} ({size} bytes) lies outside its "
                                       f"{t_size}-byte table")
            self.value(pos + off, kind, fpath, pos, vt)
        if name == "Operator":
            self.opcode_index(pos, vt, path)

    def value(self, at: int, kind: str, path: str, table_pos: int, vt: int) -> None:
        if kind[0] == "s" and kind[1:].isdigit():
            self.spot("scalar", at, int(kind[1:]))
        elif kind == "str":
            self.string(self.uoffset(at, path, "string"), path)
        elif kind.startswith("v") and kind[1:].isdigit():
            self.vector(self.uoffset(at, path, "vector"), int(kind[1:]), path)
        elif kind.startswith("t:"):
            self.table(self.uoffset(at, path, "table"), kind[2:], path)
        elif kind.startswith("vt:"):
            name = kind[3:]
            start, count = self.vector(self.uoffset(at, path, "vector"), 4, path)
            for i in range(count):
                elem = start + 4 * i
                self.table(self.uoffset(elem, f"{path}[{i}]", "table"), name, f"{path}[{i}]")
                if name == "OperatorCode":
                    self.opcodes.append(self.opcode_name(self.uoffset(elem, path, "table")))
        elif kind == "union":
            self.options(at, path, table_pos, vt)
        else:  # pragma: no cover - a schema typo
            raise AssertionError(kind)

    def vector(self, pos: int, elem: int, path: str) -> tuple[int, int]:
        """Checks a vector's length prefix and body; returns (first element, count)."""
        if pos % 4:
            raise self.fail(path, f"vector at byte {pos} is not 4-byte aligned")
        count = self.u32(pos)
        self.spot("length", pos, 4)
        if count * elem > self.n:
            raise self.fail(path, f"vector at byte {pos} claims {count} elements of {elem} bytes, more than the "
                                  f"{self.n}-byte file")
        self.need(pos + 4, count * elem, path, f"vector of {count} elements")
        self.spot(f"elements{elem}", pos + 4, count * elem)
        return pos + 4, count

    def string(self, pos: int, path: str) -> None:
        length = self.u32(pos)
        self.spot("length", pos, 4)
        self.need(pos + 4, length + 1, path, f"string of {length} bytes and its NUL")
        if self.buf[pos + 4 + length] != 0:
            raise self.fail(path, f"string at byte {pos} is not NUL-terminated")
        try:
            self.buf[pos + 4 : pos + 4 + length].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise self.fail(path, f"string at byte {pos} is not valid UTF-8 ({exc.reason})") from None

    # -- the operator's union, chosen by its opcode ------------------------
    def _field(self, table_pos: int, vt: int, index: int, fmt: str, default: int) -> int:
        """A scalar field already checked by table()."""
        vt_size = struct.unpack_from("<H", self.buf, vt)[0]
        if 4 + 2 * index >= vt_size:
            return default
        off = struct.unpack_from("<H", self.buf, vt + 4 + 2 * index)[0]
        return default if off == 0 else int(struct.unpack_from(fmt, self.buf, table_pos + off)[0])

    def opcode_name(self, pos: int) -> str | None:
        vt = pos - int(struct.unpack_from("<i", self.buf, pos)[0])
        code = max(self._field(pos, vt, 0, "<b", 0), self._field(pos, vt, 3, "<i", 0))
        return self.op_name(code)

    def opcode_index(self, table_pos: int, vt: int, path: str) -> int:
        index = self._field(table_pos, vt, 0, "<I", 0)
        if index >= len(self.opcodes):
            raise self.fail(f"{path}.opcode_index", f"operator code index {index} is outside the model's "
                                                    f"{len(self.opcodes)} operator codes")
        return index

    def options(self, at: int, path: str, table_pos: int, vt: int) -> None:
        table = OPTIONS_TABLE.get(self.opcodes[self.opcode_index(table_pos, vt, path)] or "")
        target = self.uoffset(at, path, "builtin options")
        if table is not None:
            self.table(target, table, f"{path}({table})")


def verify(buf: bytes, op_name: Callable[[int], str | None], spots: list[Spot] | None = None) -> None:
    """Raise FlatbufferError naming the first malformed place of a .tflite
    flatbuffer, or return when every table, vector and string the reader uses
    lies inside the buffer. `spots`, if given, collects every offset, length
    and field the walk followed."""
    if len(buf) > MAX_SIZE:
        raise FlatbufferError(f"file of {len(buf)} bytes exceeds the flatbuffer limit of {MAX_SIZE}")
    v = Verifier(buf, op_name, spots)
    v.need(0, 8, "Model", "root offset and file identifier")
    v.spot("root", 0, 4)
    v.table(v.uoffset(0, "Model", "root table"), "Model", "Model")
