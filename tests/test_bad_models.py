"""Odd but well-formed .tflite models: each is refused by the converter with
a ConvertError naming the op, the tensor and what is wrong, never a raw
Python exception, a blob the loader refuses, or a blob with the wrong
meaning. One test per class of the bad-input issue."""

from __future__ import annotations

import struct

import numpy as np
import pytest

from tinyrt import format as fmt
from tinyrt.blob import header_of, write_blob
from tinyrt.compiler import compile_tflite
from tinyrt.convert import ARITY, SUPPORTED_OPS, ConvertError, Graph, convert
from tinyrt.format import DType, OpType, Status, Variant
from tinyrt.native import Model, TinyrtError
from tinyrt.plan import plan
from tinyrt.tflite_writer import ModelBuilder, QParams


def refused(model: bytes, *fragments: str) -> str:
    """compile_tflite refuses `model` with a ConvertError containing every fragment."""
    with pytest.raises(ConvertError) as err:
        compile_tflite(model)
    message = str(err.value)
    for f in fragments:
        assert f in message, f"{f!r} not in {message!r}"
    assert not message.startswith("internal error"), message
    return message


def q(scale: float = 0.1, zp: int = 0) -> QParams:
    return QParams(scale, zp)


def _quantize(x_shape: list[int], y_shape: list[int], x_dtype: str = "int8") -> bytes:
    mb = ModelBuilder()
    x = mb.tensor(x_shape, x_dtype, q=q() if x_dtype == "int8" else None, name="x")
    y = mb.tensor(y_shape, "int8", q=q(0.2), name="y")
    mb.op("QUANTIZE", [x], [y])
    return mb.build([x], [y])


def _pool(x_shape: list[int], y_shape: list[int], raw: bool = False, **opts: object) -> bytes:
    mb = ModelBuilder()
    x = mb.tensor(x_shape, "int8", q=q(), name="x")
    y = mb.tensor(y_shape, "int8", q=q(), name="y")
    options: dict[str, object] = dict(padding="VALID", stride_h=1, stride_w=1, filter_h=1, filter_w=1)
    options.update(opts)
    mb.op("MAX_POOL_2D", [x], [y], raw=raw, **options)
    return mb.build([x], [y])


def _conv(stride: int = 1, dilation: int = 1, bias: int | None = None, hw: int = 4, padding: str = "SAME",
          activation: str = "NONE") -> bytes:
    mb = ModelBuilder()
    x = mb.tensor([1, hw, hw, 2], "int8", q=q(), name="x")
    w = mb.tensor([3, 1, 1, 2], "int8", q=q(0.01), data=np.ones((3, 1, 1, 2), np.int8), name="w")
    b = -1 if bias is None else mb.tensor([3], "int32", q=q(0.001), data=np.full(3, bias, np.int32), name="b")
    y = mb.tensor([1, hw, hw, 3], "int8", q=q(0.2), name="y")
    mb.op("CONV_2D", [x, w, b], [y], raw=True, padding=padding, stride_h=stride, stride_w=stride,
          dilation_h=dilation, dilation_w=dilation, activation=activation)
    return mb.build([x], [y])


# -- valid but unsupported: the loader would refuse the blob -----------------

def test_softmax_deeper_than_the_loader_limit() -> None:
    mb = ModelBuilder()
    x = mb.tensor([1, 10000], "int8", q=q(), name="x")
    y = mb.tensor([1, 10000], "int8", q=QParams(1 / 256, -128), name="y")
    mb.op("SOFTMAX", [x], [y], beta=1.0)
    refused(mb.build([x], [y]), "op 0 (SOFTMAX)", "'x'", "depth 10000", "TRT_MAX_SOFTMAX_DEPTH = 8191")


def test_dim_above_65535() -> None:
    refused(_pool([1, 70000, 1, 1], [1, 70000, 1, 1]), "op 0 (MAX_POOL_2D)", "'x'", "dim 70000",
            "TRT_MAX_DIM = 65535")


def test_dim_of_zero() -> None:
    refused(_pool([1, 0, 4, 1], [1, 0, 4, 1]), "op 0 (MAX_POOL_2D)", "'x'", "dim 0", "supported: dims of 1 or more")


@pytest.mark.parametrize("what, model", [
    ("stride 5000", lambda: _pool([1, 8, 8, 1], [1, 1, 8, 1], stride_h=5000)),
    ("window 3000", lambda: _pool([1, 3000, 1, 1], [1, 1, 1, 1], filter_h=3000)),
    ("dilation 2000", lambda: _conv(dilation=2000)),
    ("stride 4096", lambda: _conv(stride=4096)),
])
def test_huge_strides_dilations_and_windows(what: str, model: object) -> None:
    refused(model(), what, "'x'", "TRT_MAX_WINDOW = 1024")  # type: ignore[operator]


def test_fully_connected_with_70000_inputs() -> None:
    mb = ModelBuilder()
    x = mb.tensor([1, 70000], "int8", q=q(), name="x")
    w = mb.tensor([2, 70000], "int8", q=q(0.01), data=np.ones((2, 70000), np.int8), name="w")
    y = mb.tensor([1, 2], "int8", q=q(0.5), name="y")
    mb.op("FULLY_CONNECTED", [x, w, -1], [y])
    message = refused(mb.build([x], [y]), "op 0 (FULLY_CONNECTED)", "exceeds the runtime limit")
    assert "'w'" in message or "'x'" in message


def test_bias_near_int32_max() -> None:
    refused(_conv(bias=2**31 - 100), "op 0 (CONV_2D)", "'w'", f"largest |bias| {2**31 - 100}", "TRT_MAX_PRODUCT")


def test_int8_zero_point_of_200() -> None:
    mb = ModelBuilder()
    x = mb.tensor([1, 8], "int8", q=q(0.1, 200), name="x")
    y = mb.tensor([1, 8], "int8", q=q(0.2), name="y")
    mb.op("QUANTIZE", [x], [y])
    refused(mb.build([x], [y]), "op 0 (QUANTIZE)", "'x'", "zero point 200", "supported: -128 to 127")


def test_requantization_scale_ratio_of_1e12() -> None:
    mb = ModelBuilder()
    x = mb.tensor([1, 8], "int8", q=q(1.0), name="x")
    y = mb.tensor([1, 8], "int8", q=q(1e-12), name="y")
    mb.op("QUANTIZE", [x], [y])
    refused(mb.build([x], [y]), "op 0 (QUANTIZE)", "'y'", "requantization shift", "TRT_MAX_SHIFT = 31")


def test_element_count_mismatch_in_reshape() -> None:
    mb = ModelBuilder()
    x = mb.tensor([1, 8], "int8", q=q(), name="x")
    y = mb.tensor([1, 6], "int8", q=q(), name="y")
    mb.op("RESHAPE", [x], [y])
    refused(mb.build([x], [y]), "op 0 (RESHAPE)", "'x'", "'y'", "element count")


@pytest.mark.parametrize("x_dtype", ["int8", "float32"])
def test_element_count_mismatch_in_quantize(x_dtype: str) -> None:
    refused(_quantize([1, 8], [1, 6], x_dtype), "op 0 (QUANTIZE)", "'x'", "'y'", "element count")


def test_batch_mismatch_in_pooling() -> None:
    refused(_pool([2, 4, 4, 1], [1, 4, 4, 1]), "op 0 (MAX_POOL_2D)", "'x'", "'y'", "batch")


def test_constant_graph_output() -> None:
    mb = ModelBuilder()
    x = mb.tensor([1, 8], "int8", q=q(), name="x")
    y = mb.tensor([1, 8], "int8", q=q(0.2), name="y")
    c = mb.tensor([1, 8], "int8", q=q(), data=np.ones((1, 8), np.int8), name="c")
    mb.op("QUANTIZE", [x], [y])
    refused(mb.build([x], [y, c]), "graph output", "'c'", "is a constant", "supported: outputs computed by an op")


# -- raw Python exceptions before ---------------------------------------------

def test_stride_zero() -> None:
    refused(_conv(stride=0), "op 0 (CONV_2D)", "'x'", "stride 0", "supported: 1 or more")


def test_pool_window_zero() -> None:
    refused(_pool([1, 4, 4, 1], [1, 4, 4, 1], raw=True, filter_h=0), "op 0 (MAX_POOL_2D)", "'x'", "window 0x1")


def test_add_output_scale_1e_12() -> None:
    mb = ModelBuilder()
    a = mb.tensor([1, 8], "int8", q=q(0.1), name="a")
    b = mb.tensor([1, 8], "int8", q=q(0.1), name="b")
    y = mb.tensor([1, 8], "int8", q=q(1e-12), name="y")
    mb.op("ADD", [a, b], [y])
    refused(mb.build([a, b], [y]), "op 0 (ADD)", "'y'", "scale 1e-12", "supported: below 1")


def test_sub_output_scale_1e_12() -> None:
    """SUB has ADD's Prepare, and its limits."""
    mb = ModelBuilder()
    a = mb.tensor([1, 8], "int8", q=q(0.1), name="a")
    b = mb.tensor([1, 8], "int8", q=q(0.1), name="b")
    y = mb.tensor([1, 8], "int8", q=q(1e-12), name="y")
    mb.op("SUB", [a, b], [y])
    refused(mb.build([a, b], [y]), "op 0 (SUB)", "'y'", "scale 1e-12", "supported: below 1")


@pytest.mark.parametrize("name", ["MAXIMUM", "MINIMUM"])
@pytest.mark.parametrize("odd", ["a", "b", "y"])
def test_min_max_with_unequal_quantization(name: str, odd: str) -> None:
    """TFLM compares the raw int8 values: with inputs quantized unlike the
    output that is not the max/min of the real values."""
    mb = ModelBuilder()
    t = {n: mb.tensor([1, 8], "int8", q=q(0.1, 3) if n != odd else q(0.1, 4), name=n) for n in "aby"}
    mb.op(name, [t["a"], t["b"]], [t["y"]])
    role = {"a": "input1", "b": "input2", "y": "input1"}[odd]
    refused(mb.build([t["a"], t["b"]], [t["y"]]), f"op 0 ({name})", role, "zero point", "TFLM compares the raw int8",
            "supported: inputs quantized exactly as the output")


def test_activation_bound_outside_int32() -> None:
    mb = ModelBuilder()
    a = mb.tensor([1, 8], "int8", q=q(0.1), name="a")
    b = mb.tensor([1, 8], "int8", q=q(0.1), name="b")
    y = mb.tensor([1, 8], "int8", q=q(1e-30), name="y")
    mb.op("MUL", [a, b], [y], activation="RELU6")
    refused(mb.build([a, b], [y]), "op 0 (MUL)", "'y'", "RELU6", "outside int32")


def test_arena_of_4_gib() -> None:
    """Two float32 outputs of 2 GiB each, live together."""
    mb = ModelBuilder()
    shape = [1, 16383, 16384, 2]
    x = mb.tensor(shape, "int8", q=q(), name="x")
    y1 = mb.tensor(shape, "float32", name="y1")
    y2 = mb.tensor(shape, "float32", name="y2")
    mb.op("DEQUANTIZE", [x], [y1])
    mb.op("DEQUANTIZE", [x], [y2])
    refused(mb.build([x], [y1, y2]), "op 1 (DEQUANTIZE)", "the arena needs", "'y", "supported: at most 4,294,967,295")


def test_negative_dim() -> None:
    mb = ModelBuilder()
    x = mb.tensor([1, -1, 4, 1], "int8", q=q(), name="x", raw=True)
    y = mb.tensor([1, 4, 4, 1], "int8", q=q(), name="y")
    mb.op("MAX_POOL_2D", [x], [y], padding="VALID", stride_h=1, stride_w=1, filter_h=1, filter_w=1)
    refused(mb.build([x], [y]), "op 0 (MAX_POOL_2D)", "'x'", "dim -1", "supported: dims of 1 or more")


def test_op_with_no_inputs() -> None:
    mb = ModelBuilder()
    x = mb.tensor([1, 8], "int8", q=q(), name="x")
    y = mb.tensor([1, 8], "int8", q=QParams(1 / 256, -128), name="y")
    mb.op("SOFTMAX", [], [y], raw=True, beta=1.0)
    refused(mb.build([x], [y]), "op 0 (SOFTMAX)", "'y'", "0 inputs", "supported: 1")


def test_absent_input_where_none_is_optional() -> None:
    mb = ModelBuilder()
    a = mb.tensor([1, 8], "int8", q=q(), name="a")
    y = mb.tensor([1, 8], "int8", q=q(), name="y")
    mb.op("ADD", [a, -1], [y])
    refused(mb.build([a], [y]), "op 0 (ADD)", "input 1 is absent (-1)", "supported: a tensor here")


def test_every_supported_op_has_its_operand_counts() -> None:
    assert set(ARITY) == set(SUPPORTED_OPS)


# -- accepted with the wrong meaning before -------------------------------------

def _chain() -> tuple[ModelBuilder, int, int, int]:
    mb = ModelBuilder()
    x = mb.tensor([1, 8], "int8", q=q(), name="x")
    y = mb.tensor([1, 8], "int8", q=q(0.2), name="y")
    z = mb.tensor([1, 8], "int8", q=q(0.3), name="z")
    return mb, x, y, z


def test_negative_input_index() -> None:
    mb, x, y, _ = _chain()
    mb.op("QUANTIZE", [-2], [y], raw=True)
    refused(mb.build([x], [y]), "op 0 (QUANTIZE)", "input 0 is tensor index -2", "supported: 0 to 2")


def test_input_index_past_the_tensors() -> None:
    mb, x, y, _ = _chain()
    mb.op("QUANTIZE", [x], [7], raw=True)
    refused(mb.build([x], [y]), "op 0 (QUANTIZE)", "output 0 is tensor index 7")


def test_graph_output_that_no_op_produces() -> None:
    mb, x, y, z = _chain()
    mb.op("QUANTIZE", [x], [y])
    refused(mb.build([x], [y, z]), "graph output", "'z'", "never written")


def test_graph_input_as_output() -> None:
    mb, x, y, _ = _chain()
    mb.op("QUANTIZE", [x], [y])
    refused(mb.build([x], [x]), "graph output", "'x'", "is a graph input")


def test_op_reading_its_own_output() -> None:
    mb, x, y, _ = _chain()
    mb.op("ADD", [x, y], [y])
    refused(mb.build([x], [y]), "op 0 (ADD)", "reads its own output", "'y'")


def test_two_ops_writing_one_tensor() -> None:
    mb, x, y, _ = _chain()
    mb.op("QUANTIZE", [x], [y])
    mb.op("QUANTIZE", [x], [y])
    refused(mb.build([x], [y]), "op 1 (QUANTIZE)", "'y'", "already written by op 0", "one producer per tensor")


def test_op_writing_a_graph_input() -> None:
    mb, x, y, _ = _chain()
    mb.op("QUANTIZE", [y], [x])
    refused(mb.build([x, y], [x]), "op 0 (QUANTIZE)", "writes graph input", "'x'")


def test_cycle() -> None:
    mb, x, y, z = _chain()
    mb.op("ADD", [x, z], [y])
    mb.op("QUANTIZE", [y], [z])
    refused(mb.build([x], [z]), "op 0 (ADD)", "'z'", "before op 1 writes it", "without cycles")


def test_reading_a_tensor_nothing_writes() -> None:
    mb, x, y, z = _chain()
    mb.op("ADD", [x, z], [y])
    refused(mb.build([x], [y]), "op 0 (ADD)", "'z'", "not a graph input, a constant, state or the output")


def test_unknown_padding_and_activation() -> None:
    import struct

    from tinyrt.flatbuf import Spot, verify
    from tinyrt.tflite import _op_name

    good = _conv(padding="VALID", activation="RELU")
    spots: list[Spot] = []
    verify(good, _op_name, spots)
    # Conv2DOptions.padding is the first 1-byte scalar after the operator's
    # options offset: rewrite every 1-byte scalar in turn until the converter
    # names the padding.
    messages = set()
    for s in (s for s in spots if s.kind == "scalar" and s.size == 1):
        bad = bytearray(good)
        struct.pack_into("<B", bad, s.pos, 77)
        try:
            compile_tflite(bytes(bad))
        except (ConvertError, ValueError) as exc:
            messages.add(str(exc))
    assert any("padding UNKNOWN_77; supported: SAME, VALID" in m for m in messages), messages
    assert any("fused activation UNKNOWN_77; supported: NONE" in m for m in messages), messages


def _tconv(shape: list[int] | None = None, filter_shape: tuple[int, ...] = (3, 2, 2, 2), shape_input: bool = False,
           out_hw: int = 8) -> bytes:
    """A TRANSPOSE_CONV 4x4x2 -> out_hw x out_hw x 3, stride 2; `shape` the
    output_shape tensor's values, `shape_input` makes it a graph input."""
    mb = ModelBuilder()
    values = np.array(shape if shape is not None else [1, out_hw, out_hw, 3], np.int32)
    s = mb.tensor([4], "int32", data=None if shape_input else values, name="out_shape")
    w = mb.tensor(filter_shape, "int8", q=q(0.01), data=np.ones(filter_shape, np.int8), name="w")
    x = mb.tensor([1, 4, 4, 2], "int8", q=q(), name="x")
    y = mb.tensor([1, out_hw, out_hw, 3], "int8", q=q(0.2), name="y")
    mb.op("TRANSPOSE_CONV", [s, w, x], [y], padding="SAME", stride_h=2, stride_w=2)
    return mb.build([x, s] if shape_input else [x], [y])


def test_transpose_conv_output_shape_not_constant() -> None:
    refused(_tconv(shape_input=True), "op 0 (TRANSPOSE_CONV)", "output_shape", "'out_shape'",
            "supported: a constant INT32 output shape equal to the output's")


def test_transpose_conv_output_shape_unlike_the_output() -> None:
    refused(_tconv(shape=[1, 8, 7, 3]), "op 0 (TRANSPOSE_CONV)", "'out_shape'", "[1, 8, 8, 3]")


def test_transpose_conv_filter_unlike_input_and_output() -> None:
    refused(_tconv(filter_shape=(3, 2, 2, 5)), "op 0 (TRANSPOSE_CONV)", "'w'", "supported: [3, KH, KW, 2]")


def test_transpose_conv_window_beyond_the_loader_limit() -> None:
    refused(_tconv(filter_shape=(3, 2000, 1, 2), out_hw=2006), "op 0 (TRANSPOSE_CONV)", "window 2000",
            "TRT_MAX_WINDOW = 1024")
# --- data movement (COPY) ---


def _i32(mb: ModelBuilder, values: object, name: str = "c") -> int:
    a = np.asarray(values, np.int32)
    return mb.tensor(list(a.shape), "int32", data=a, name=name)


def test_pad_with_computed_paddings() -> None:
    mb = ModelBuilder()
    x = mb.tensor([1, 4], "int8", q=q(), name="x")
    p = mb.tensor([2, 2], "int32", name="p")
    y = mb.tensor([1, 6], "int8", q=q(), name="y")
    mb.op("PAD", [x, p], [y])
    refused(mb.build([x, p], [y]), "op 0 (PAD)", "paddings tensor 1 'p'", "is not constant",
            "supported: a constant INT32 or INT64 tensor")


def test_pad_whose_output_does_not_match() -> None:
    mb = ModelBuilder()
    x = mb.tensor([1, 4], "int8", q=q(), name="x")
    y = mb.tensor([1, 7], "int8", q=q(), name="y")
    mb.op("PAD", [x, _i32(mb, [[0, 0], [1, 1]])], [y])
    refused(mb.build([x], [y]), "op 0 (PAD)", "output tensor 1 'y'", "should be [1, 6]")


def test_padv2_value_quantized_unlike_the_output() -> None:
    mb = ModelBuilder()
    x = mb.tensor([1, 4], "int8", q=q(), name="x")
    v = mb.tensor([], "int8", q=q(0.1, 5), data=np.array(3, np.int8), name="v")
    y = mb.tensor([1, 6], "int8", q=q(), name="y")
    mb.op("PADV2", [x, _i32(mb, [[0, 0], [1, 1]]), v], [y])
    refused(mb.build([x], [y]), "op 0 (PADV2)", "constant_values tensor 1 'v'", "same scale and zero point")


def test_mirror_pad_wider_than_the_input() -> None:
    mb = ModelBuilder()
    x = mb.tensor([1, 3], "int8", q=q(), name="x")
    y = mb.tensor([1, 9], "int8", q=q(), name="y")
    mb.op("MIRROR_PAD", [x, _i32(mb, [[0, 0], [3, 3]])], [y], mode="REFLECT")
    refused(mb.build([x], [y]), "op 0 (MIRROR_PAD)", "padding 3, 3 of a dim of 3", "supported: 0 to 2")


@pytest.mark.parametrize("what, options, strides, why", [
    ("offset", {"offset": True}, [1, 1], "offset true"),
    ("shrunk", {"shrink_axis_mask": 1}, [-1, 1], "a shrunk axis with a negative stride"),
    ("ellipsis", {"ellipsis_mask": 1}, [1, 1], "ellipsis_mask 1"),
])
def test_strided_slice_options_tflm_does_not_give_one_meaning(what: str, options: dict[str, object],
                                                               strides: list[int], why: str) -> None:
    mb = ModelBuilder()
    x = mb.tensor([2, 4], "int8", q=q(), name="x")
    y = mb.tensor([4] if what == "shrunk" else [1, 4], "int8", q=q(), name="y")
    mb.op("STRIDED_SLICE", [x, _i32(mb, [0, 0]), _i32(mb, [1, 4]), _i32(mb, strides)], [y], **options)
    refused(mb.build([x], [y]), "op 0 (STRIDED_SLICE)", why)


def test_gather_index_outside_the_axis() -> None:
    mb = ModelBuilder()
    x = mb.tensor([5, 2], "int8", q=q(), name="x")
    y = mb.tensor([2, 2], "int8", q=q(), name="y")
    mb.op("GATHER", [x, _i32(mb, [1, 5], "idx")], [y])
    refused(mb.build([x], [y]), "op 0 (GATHER)", "indices outside 0 to 4")


def test_gather_with_batch_dims() -> None:
    mb = ModelBuilder()
    x = mb.tensor([2, 5], "int8", q=q(), name="x")
    y = mb.tensor([2, 2], "int8", q=q(), name="y")
    mb.op("GATHER", [x, _i32(mb, [[1, 2], [0, 3]], "idx")], [y], axis=1, batch_dims=1)
    refused(mb.build([x], [y]), "op 0 (GATHER)", "batch_dims 1; supported: 0")


def _copy_blob() -> tuple[bytearray, int, int, int]:
    """A PAD model's blob: (bytes, COPY's params offset, its first piece's
    offset, the blob's data section offset)."""
    mb = ModelBuilder()
    x = mb.tensor([2, 3], "int8", q=q(), name="x")
    y = mb.tensor([4, 5], "int8", q=q(), name="y")
    mb.op("PAD", [x, _i32(mb, [[1, 1], [1, 1]])], [y])
    blob = compile_tflite(mb.build([x], [y])).blob
    h = header_of(blob)
    op = fmt.OP.unpack(blob, h["ops_off"])
    assert op["type"] == fmt.OpType.COPY
    slot = int(op["operands"]) + int(op["n_inputs"]) - 1  # type: ignore[arg-type]
    table_id = struct.unpack_from("<i", blob, h["operands_off"] + 4 * slot)[0]
    table = fmt.TENSOR.unpack(blob, h["tensors_off"] + table_id * fmt.TENSOR.size)
    return (bytearray(blob), h["data_off"] + int(op["params_off"]),  # type: ignore[arg-type]
            h["data_off"] + int(table["offset"]), h["data_off"])  # type: ignore[arg-type]


def _resign(blob: bytearray) -> bytes:
    h = header_of(bytes(blob))
    h["crc32"] = fmt.crc32(bytes(blob[fmt.HEADER_CRC_START:]))
    blob[: fmt.HEADER.size] = fmt.HEADER.pack(**h)
    return bytes(blob)


def test_copy_blob_unchanged_loads() -> None:
    blob, _, _, _ = _copy_blob()
    x = np.arange(6, dtype=np.int8).reshape(2, 3)
    np.testing.assert_array_equal(Model(_resign(blob)).run([x])[0], np.pad(x, 1))


# Each mutation of the one piece (x [2, 3] into y [4, 5] at 1, 1) or of the
# params must be refused: every element read or written stays inside its tensor.
COPY_MUTATIONS = {
    "in_offset past the input": ("in_offset", 1),
    "in_offset negative": ("in_offset", -1),
    "out_offset past the output": ("out_offset", 14),
    "out_offset negative": ("out_offset", -7),
    "input stride past the end": ("in_stride", [0, 0, 0, 0, 4, 1]),
    "input stride backwards below 0": ("in_stride", [0, 0, 0, 0, -3, 1]),
    "output stride past the end": ("out_stride", [0, 0, 0, 0, 15, 1]),
    "output stride huge": ("out_stride", [0, 0, 0, 0, 2**31 - 1, 1]),
    "output stride most negative": ("out_stride", [0, 0, 0, 0, -(2**31), 1]),
    "count 0": ("count", [1, 1, 1, 1, 0, 3]),
    "count negative": ("count", [1, 1, 1, 1, -2, 3]),
    "more copies than output elements": ("count", [1, 1, 4, 1, 2, 3]),
    "input slot past the data inputs": ("input", 1),
    "output slot past the outputs": ("output", 1),
    "fill flag 2": ("fill", 2),
    "fill value 128": ("fill_value", 128),
}


@pytest.mark.parametrize("what", sorted(COPY_MUTATIONS))
def test_copy_piece_outside_its_tensors_is_refused(what: str) -> None:
    blob, params_at, piece_at, _ = _copy_blob()
    field, value = COPY_MUTATIONS[what]
    if field in fmt.COPY_PARAMS.names:
        params = fmt.COPY_PARAMS.unpack(bytes(blob), params_at)
        params[field] = value
        blob[params_at:params_at + fmt.COPY_PARAMS.size] = fmt.COPY_PARAMS.pack(**params)  # type: ignore[arg-type]
    else:
        piece = fmt.COPY_PIECE.unpack(bytes(blob), piece_at)
        piece[field] = value
        blob[piece_at:piece_at + fmt.COPY_PIECE.size] = fmt.COPY_PIECE.pack(**piece)  # type: ignore[arg-type]
    with pytest.raises(TinyrtError) as err:
        Model(_resign(blob))
    assert err.value.status == fmt.Status.ERR_OP_PARAMS, what


def test_rank_5_graph_input_is_refused() -> None:
    """Rank 5-6 tensors are allowed between data movement ops only: graph
    inputs and outputs keep the runtime's rank limit."""
    mb = ModelBuilder()
    x = mb.tensor([1, 2, 2, 2, 2], "int8", q=q(), name="x")
    y = mb.tensor([1, 2, 2, 2, 4], "int8", q=q(), name="y")
    mb.op("PAD", [x, _i32(mb, [[0, 0]] * 4 + [[1, 1]])], [y])
    refused(mb.build([x], [y]), "op 0 (PAD)", "tensor 0 'x'", "rank 5 exceeds the runtime limit TRT_MAX_DIMS = 4")


def test_rank_5_tensor_read_by_arithmetic_is_refused() -> None:
    mb = ModelBuilder()
    x = mb.tensor([2, 2, 2, 2], "int8", q=q(), name="x")
    r = mb.tensor([1, 2, 2, 2, 2], "int8", q=q(), name="r")
    mb.op("RESHAPE", [x], [r])
    m = mb.tensor([1, 2, 2, 2, 2], "int8", q=q(), name="m")
    mb.op("MAXIMUM", [r, r], [m])
    y = mb.tensor([2, 2, 2, 2], "int8", q=q(), name="y")
    mb.op("RESHAPE", [m], [y])
    refused(mb.build([x], [y]), "op 0 (RESHAPE)", "tensor 1 'r'", "rank 5 exceeds the runtime limit TRT_MAX_DIMS")


def test_pad_before_a_convolution_with_a_wrong_output_shape() -> None:
    """A PAD folds into the convolution only when its output is the padded
    input; otherwise it is lowered, and refused naming its output."""
    mb = ModelBuilder()
    x = mb.tensor([1, 4, 4, 2], "int8", q=q(), name="x")
    p = mb.tensor([1, 7, 6, 2], "int8", q=q(), name="padded")
    mb.op("PAD", [x, _i32(mb, [[0, 0], [1, 1], [1, 1], [0, 0]])], [p])
    w = mb.tensor([3, 1, 1, 2], "int8", q=q(0.01), data=np.ones((3, 1, 1, 2), np.int8), name="w")
    y = mb.tensor([1, 7, 6, 3], "int8", q=q(0.2), name="y")
    mb.op("CONV_2D", [p, w, -1], [y], padding="VALID")
    refused(mb.build([x], [y]), "op 0 (PAD)", "output tensor 1 'padded'", "should be [1, 6, 6, 2]")


# -- reductions and spatial ops -------------------------------------------------


def _hostile(model: bytes, op_type: str, const_slot: int | None = None, const_values: dict[int, int] | None = None,
             **fields: int) -> None:
    """The loader refuses the converted blob of `model` with its op `op_type`'s
    params fields overwritten, or int32 values of its constant input
    `const_slot` (index -> value), CRC fixed: ERR_OP_PARAMS, never a crash."""
    import struct

    from tinyrt import format as fmt
    from tinyrt.blob import header_of
    from tinyrt.native import Model, TinyrtError

    blob = bytearray(compile_tflite(model).blob)
    Model(bytes(blob))  # loads as converted
    h = header_of(bytes(blob))
    ops = [fmt.OP.unpack(bytes(blob), h["ops_off"] + k * fmt.OP.size) for k in range(h["n_ops"])]
    op = next(o for o in ops if o["type"] == fmt.OpType[op_type])
    spec = fmt.PARAMS[fmt.OpType[op_type]]
    if fields:
        assert spec is not None
        base = h["data_off"] + int(op["params_off"])
        params = spec.unpack(bytes(blob), base)
        params.update(fields)
        blob[base: base + spec.size] = spec.pack(**params)
    if const_slot is not None:
        tensor_id = struct.unpack_from("<i", blob, h["operands_off"] + 4 * (int(op["operands"]) + const_slot))[0]
        desc = fmt.TENSOR.unpack(bytes(blob), h["tensors_off"] + tensor_id * fmt.TENSOR.size)
        assert desc["storage"] == fmt.Storage.CONST
        for index, value in (const_values or {}).items():
            struct.pack_into("<i", blob, h["data_off"] + int(desc["offset"]) + 4 * index, value)
    h["crc32"] = 0
    blob[: fmt.HEADER.size] = fmt.HEADER.pack(**h)
    h["crc32"] = fmt.crc32(bytes(blob[fmt.HEADER_CRC_START:]))
    blob[: fmt.HEADER.size] = fmt.HEADER.pack(**h)
    with pytest.raises(TinyrtError) as err:
        Model(bytes(blob))
    assert err.value.status == fmt.Status.ERR_OP_PARAMS


def _reduction(name: str, shape: list[int], axes: list[int], out_shape: list[int], out_q: QParams | None = None,
               keep: bool = True) -> bytes:
    mb = ModelBuilder()
    x = mb.tensor(shape, "int8", q=q(0.1, 3), name="x")
    a = mb.tensor([len(axes)], "int32", data=np.array(axes, np.int32), name="axes")
    y = mb.tensor(out_shape, "int8", q=out_q or q(0.1, 3), name="y")
    mb.op(name, [x, a], [y], keep_dims=keep)
    return mb.build([x], [y])


@pytest.mark.parametrize("name", ["REDUCE_MAX", "REDUCE_MIN"])
def test_reduce_max_min_requantizing(name: str) -> None:
    """TFLM's ReduceGeneric compares raw int8 values and its Eval requires the
    output quantized as the input."""
    refused(_reduction(name, [1, 4, 4, 2], [1], [1, 1, 4, 2], q(0.2, 3)), f"op 0 ({name})", "'y'",
            "supported: output quantized exactly as the input")


@pytest.mark.parametrize("name", ["SUM", "REDUCE_MAX", "MEAN"])
def test_reduction_shapes_and_axes(name: str) -> None:
    refused(_reduction(name, [1, 4, 4, 2], [4], [1, 4, 4, 1]), f"op 0 ({name})", "axis 4 outside rank 4")
    refused(_reduction(name, [1, 4, 4, 2], [1], [1, 4, 4, 2]), f"op 0 ({name})", "expected [1, 1, 4, 2]")
    refused(_reduction(name, [1, 4, 4, 2], [1], [1, 1, 4, 2], keep=False), f"op 0 ({name})", "expected [1, 4, 2]")


def test_sum_over_too_many_elements() -> None:
    refused(_reduction("SUM", [1, 3000, 3000, 1], [1, 2], [1, 1, 1, 1], q(100.0, 0)), "op 0 (SUM)",
            "elements summed per output", "TRT_MAX_MEAN_COUNT")


@pytest.mark.parametrize("name", ["SUM", "REDUCE_MAX", "REDUCE_MIN", "MEAN"])
@pytest.mark.parametrize("axes", [0, 16, -1, 1])  # 1: the n bit of a rank-3 input's NHWC view
def test_hostile_reduction_axes(name: str, axes: int) -> None:
    _hostile(_reduction(name, [4, 4, 2], [1], [4, 1, 2]), name, axes=axes)


def test_hostile_sum_offsets() -> None:
    model = _reduction("SUM", [4, 4, 2], [1], [4, 1, 2])
    _hostile(model, "SUM", input_offset=129)
    _hostile(model, "SUM", output_offset=-129)
    _hostile(model, "SUM", shift=-32)


def _arg(name: str, shape: list[int], axis: int, out_shape: list[int], out_dtype: str = "int32",
         axis_dtype: str = "int32", const_axis: bool = True) -> bytes:
    mb = ModelBuilder()
    x = mb.tensor(shape, "int8", q=q(0.1, 3), name="x")
    a = mb.tensor([1], axis_dtype, data=np.array([axis]) if const_axis else None, name="axis")
    y = mb.tensor(out_shape, out_dtype, q=q() if out_dtype == "int8" else None, name="y")
    mb.op(name, [x, a], [y], output_type="int64" if out_dtype == "int64" else "int32")
    return mb.build([x, a] if not const_axis else [x], [y])


@pytest.mark.parametrize("name", ["ARG_MAX", "ARG_MIN"])
def test_arg_bad_models(name: str) -> None:
    refused(_arg(name, [2, 5], 2, [2]), f"op 0 ({name})", "axis", "is 2, outside rank 2")
    refused(_arg(name, [2, 5], 1, [5]), f"op 0 ({name})", "expected [2]")
    refused(_arg(name, [2, 5], 1, [2], out_dtype="int8"), f"op 0 ({name})", "supported: INT32 or INT64 indices")
    refused(_arg(name, [2, 5], 1, [2], const_axis=False), f"op 0 ({name})", "must be a constant INT32 or INT64")
    # An INT64 axis is read offline like an INT32 one.
    compile_tflite(_arg(name, [2, 5], -1, [2], out_dtype="int64", axis_dtype="int64"))


@pytest.mark.parametrize("name", ["ARG_MAX", "ARG_MIN"])
def test_hostile_arg_params(name: str) -> None:
    model = _arg(name, [3, 2, 5], 1, [3, 5])
    for fields in ({"axis": 4}, {"axis": -1}, {"axis": 0}, {"int64_output": 1}, {"int64_output": 2}):
        _hostile(model, name, **fields)


def _resize(name: str, shape: list[int], size: list[int], out_shape: list[int] | None = None,
            out_q: QParams | None = None, const_size: bool = True, **opts: bool) -> bytes:
    mb = ModelBuilder()
    x = mb.tensor(shape, "int8", q=q(0.1, 3), name="x")
    sz = mb.tensor([2], "int32", data=np.array(size, np.int32) if const_size else None, name="size")
    y = mb.tensor(out_shape or [shape[0], *size, shape[3]], "int8", q=out_q or q(0.1, 3), name="y")
    mb.op(name, [x, sz], [y], **opts)
    return mb.build([x] if const_size else [x, sz], [y])


@pytest.mark.parametrize("name", ["RESIZE_BILINEAR", "RESIZE_NEAREST_NEIGHBOR"])
def test_resize_bad_models(name: str) -> None:
    where = f"op 0 ({name})"
    refused(_resize(name, [1, 3, 3, 2], [5, 4], out_q=q(0.2, 3)), where, "'y'", "TFLM interpolates the raw int8",
            "supported: output quantized exactly as the input")
    refused(_resize(name, [1, 3, 3, 2], [5, 4], align_corners=True, half_pixel_centers=True), where,
            "supported: at most one")
    refused(_resize(name, [1, 3, 3, 2], [5, 4], out_shape=[1, 5, 5, 2]), where, "resized to 5x4")
    refused(_resize(name, [1, 3, 3, 2], [5, 4], const_size=False), where, "'size'", "must be a constant INT32")


def test_resize_bilinear_reading_outside_the_input() -> None:
    """TFLM's rounded 1/1024 scale of 1 -> 55 rows (19) puts output row 54's
    lower source row at 54 * 19 / 1024 = 1: outside a 1-row input (TFLM reads
    past it). Refused, naming the row."""
    refused(_resize("RESIZE_BILINEAR", [1, 1, 2, 1], [55, 2]), "op 0 (RESIZE_BILINEAR)", "'x'",
            "would be read at row 1 for output row 54", "supported: resizes whose sources lie inside the input")
    compile_tflite(_resize("RESIZE_BILINEAR", [1, 1, 2, 1], [54, 2]))


@pytest.mark.parametrize("name", ["RESIZE_BILINEAR", "RESIZE_NEAREST_NEIGHBOR"])
def test_hostile_resize_tables(name: str) -> None:
    """Table rows (y0, y1, wy) x 5 then (x0, x1, wx) x 4 of a 3x3 -> 5x4 resize."""
    model = _resize(name, [1, 3, 3, 2], [5, 4])
    for values in ({0: 3}, {1: -1}, {3 * 5: 3}, {3 * 5 + 1: 7}, {3 * 8: -1}):  # rows and columns outside
        _hostile(model, name, const_slot=1, const_values=values)
    for weight in (1024, -513, 1 << 30):
        _hostile(model, name, const_slot=1, const_values={2: weight})
    if name == "RESIZE_NEAREST_NEIGHBOR":  # a nearest-neighbour table has zero weights
        _hostile(model, name, const_slot=1, const_values={3 * 6 + 2: 1})


def _l2norm(shape: list[int], out_q: QParams | None = None, **opts: str) -> bytes:
    mb = ModelBuilder()
    x = mb.tensor(shape, "int8", q=q(0.1, 3), name="x")
    y = mb.tensor(shape, "int8", q=out_q or q(1 / 128, 0), name="y")
    mb.op("L2_NORMALIZATION", [x], [y], **opts)
    return mb.build([x], [y])


def test_l2_normalization_bad_models() -> None:
    where = "op 0 (L2_NORMALIZATION)"
    refused(_l2norm([2, 8], q(0.1, 0)), where, "'y'", "supported: scale 1/128, zero point 0")
    refused(_l2norm([2, 8], q(1 / 128, 1)), where, "'y'", "supported: scale 1/128, zero point 0")
    refused(_l2norm([2, 8], activation="RELU"), where, "fused activation RELU; supported: NONE")
    refused(_l2norm([1, 33026]), where, "depth 33026", "TRT_MAX_DOT_DEPTH")
    compile_tflite(_l2norm([1, 33025]))


def test_hostile_l2_normalization_params() -> None:
    for offset in (-128, 129, 1 << 30):
        _hostile(_l2norm([2, 8]), "L2_NORMALIZATION", input_offset=offset)


def test_l2_pool_2d_is_refused_with_the_reason() -> None:
    """TFLM's L2_POOL_2D is float32 only ("L2_POOL_2D only supports float32
    currently"), and so is LiteRT's (pooling.cc: "input->type !=
    kTfLiteFloat32" at Prepare, with every op resolver): no int8 arithmetic
    to be bit-exact with."""
    mb = ModelBuilder()
    x = mb.tensor([1, 4, 4, 2], "int8", q=q(0.1, 3), name="x")
    y = mb.tensor([1, 2, 2, 2], "int8", q=q(0.1, 3), name="y")
    mb.op("L2_POOL_2D", [x], [y], padding="VALID", stride_h=2, stride_w=2, filter_h=2, filter_w=2)
    refused(mb.build([x], [y]), "an unsupported operator", "op 0 (L2_POOL_2D)", "'y'",
            "neither TFLM nor LiteRT has an int8 L2_POOL_2D kernel (float32 only)")


def _matmul(lhs: list[int], rhs: list[int], out: list[int], const_rhs: bool = False, **opts: bool) -> bytes:
    mb = ModelBuilder()
    a = mb.tensor(lhs, "int8", q=q(0.1, 3), name="a")
    b = mb.tensor(rhs, "int8", q=q(0.05, -2), data=np.ones(rhs, np.int8) if const_rhs else None, name="b")
    y = mb.tensor(out, "int8", q=q(0.2, 1), name="y")
    mb.op("BATCH_MATMUL", [a, b], [y], **opts)
    return mb.build([a] if const_rhs else [a, b], [y])


def test_batch_matmul_bad_models() -> None:
    where = "op 0 (BATCH_MATMUL)"
    refused(_matmul([2, 3, 4], [2, 5, 6], [2, 3, 6]), where, "do not multiply into output")
    refused(_matmul([2, 3, 4], [3, 4, 6], [2, 3, 6]), where, "do not multiply into output")
    refused(_matmul([2, 3, 4], [4, 6], [2, 3, 7]), where, "expected [2, 3, 6]")
    refused(_matmul([4, 3], [4, 6], [4, 6], adj_x=True), where, "expected [3, 6]")
    refused(_matmul([4], [4, 6], [6]), where, "'a'", "has rank 1; supported: 2 to 4")
    refused(_matmul([1, 40000], [40000, 1], [1, 1], const_rhs=True), where, "accumulation depth 40000",
            "TRT_MAX_DOT_DEPTH")
    compile_tflite(_matmul([2, 1, 3, 4], [5, 6, 4], [2, 5, 3, 6], adj_y=True))


def test_hostile_batch_matmul_params() -> None:
    model = _matmul([2, 3, 4], [4, 6], [2, 3, 6])
    for fields in ({"adj_x": 1}, {"adj_y": 1}, {"adj_x": 2}, {"adj_y": -1}, {"lhs_offset": 129},
                   {"rhs_offset": -128}, {"output_offset": 128}, {"shift": 32}, {"multiplier": -1}):
        _hostile(model, "BATCH_MATMUL", **fields)


# --- int8 -> int8 functions (LUT), PRELU, SQUARED_DIFFERENCE ---------------

def _unary(name: str, x_q: QParams | None = None, y_q: QParams | None = None, x_dtype: str = "int8",
           y_shape: tuple[int, ...] = (1, 8)) -> bytes:
    mb = ModelBuilder()
    x = mb.tensor([1, 8], x_dtype, q=x_q if x_dtype == "int8" else None, name="x")
    y = mb.tensor(y_shape, "int8", q=y_q or q(0.1), name="y")
    mb.op(name, [x], [y])
    return mb.build([x], [y])


@pytest.mark.parametrize("name", ["RELU", "LOGISTIC", "TANH", "HARD_SWISH", "ELU", "RSQRT", "EXP", "NEG",
                                  "RELU_N1_TO_1"])
def test_unary_function_of_a_float_input(name: str) -> None:
    refused(_unary(name, x_dtype="float32"), f"op 0 ({name})", "input", "'x'", "FLOAT32", "supported: INT8")


@pytest.mark.parametrize("name, scale, zp", [("LOGISTIC", 1 / 256, 0), ("LOGISTIC", 0.1, -128), ("TANH", 1 / 256, 0)])
def test_logistic_and_tanh_with_an_output_quantization_tflm_does_not_write(name: str, scale: float, zp: int) -> None:
    refused(_unary(name, q(0.05), q(scale, zp)), f"op 0 ({name})", "output", "'y'",
            f"TFLM's int8 {name} writes scale", "supported: that quantization")


def test_hard_swish_output_scale_below_a_128th_of_the_input() -> None:
    refused(_unary("HARD_SWISH", q(1.0), q(1e-3)), "op 0 (HARD_SWISH)", "'y'", "scale 0.001",
            "supported: an output scale above 1/128 of the input's")


@pytest.mark.parametrize("name", ["ABS", "EXP", "NEG"])
def test_unary_function_changing_the_shape(name: str) -> None:
    refused(_unary(name, q(0.1), q(0.1), y_shape=(8, 1)), f"op 0 ({name})", "'y'", "shape",
            "supported: the input's shape")


def test_exp_with_an_output_scale_whose_inverse_is_infinite() -> None:
    """1 / 1e-40 overflows float32: LiteRT's table entry exp(x) * inf is
    inf, or NaN where exp(x) underflows to 0, whose conversion to int has
    no defined value; the converter refuses the op."""
    refused(_unary("EXP", q(1.0), q(1e-40)), "op 0 (EXP)", "output", "'y'", "cannot be computed as LiteRT does",
            "not finite")


def test_relu_n1_to_1_with_a_bound_beyond_int32() -> None:
    refused(_unary("RELU_N1_TO_1", q(0.1), q(1e-12)), "op 0 (RELU_N1_TO_1)", "'y'",
            "cannot be quantized as LiteRT does", "outside int32")


@pytest.mark.parametrize("name", ["SQRT", "LOG"])
def test_functions_tflm_has_no_int8_kernel_for(name: str) -> None:
    """TFLM refuses int8 for these, and tinyrt has no lowering for them."""
    mb = ModelBuilder()
    x = mb.tensor([1, 8], "int8", q=q(0.1), name="x")
    y = mb.tensor([1, 8], "int8", q=q(0.1), name="y")
    mb.op(name, [x], [y])
    refused(mb.build([x], [y]), f"op 0 ({name})", "unsupported operator", "supported:")


def test_prelu_alpha_not_broadcasting() -> None:
    mb = ModelBuilder()
    x = mb.tensor([1, 2, 4], "int8", q=q(0.1), name="x")
    alpha = mb.tensor([3], "int8", q=q(0.01), data=np.ones(3, np.int8), name="alpha")
    y = mb.tensor([1, 2, 4], "int8", q=q(0.1), name="y")
    mb.op("PRELU", [x, alpha], [y])
    refused(mb.build([x], [y]), "op 0 (PRELU)", "alpha", "'alpha'", "does not broadcast")


# The loader's checks of the new ops, on blobs the converter would never
# write: each is refused with ERR_OP_PARAMS, never run.

def _graph(model: bytes) -> Graph:
    return convert(model)


def _loaded_status(graph: Graph, offsets: dict[int, int] | None = None) -> int:
    """The loader's status for the planned graph, with some tensors moved to
    `offsets` (in an arena grown to hold them)."""
    p = plan(graph)
    for t, offset in (offsets or {}).items():
        p.tensor_offsets[t] = offset
        p.arena_bytes = max(p.arena_bytes, offset + graph.tensors[t].bytes)
    with pytest.raises(TinyrtError) as err:
        Model(write_blob(graph, p))
    return int(err.value.status)


def _lut_graph() -> Graph:
    graph = _graph(_unary("LEAKY_RELU", q(0.1), q(0.05)))
    assert [op.type for op in graph.ops] == [OpType.LUT]
    return graph


@pytest.mark.parametrize("table", [np.zeros(255, np.int8), np.zeros(257, np.int8), np.zeros(256, np.int32),
                                   None])
def test_lut_table_of_the_wrong_size_type_or_storage(table: np.ndarray | None) -> None:
    graph = _lut_graph()
    t = graph.tensors[graph.ops[0].inputs[1]]
    if table is None:
        t.data, t.persistent = None, True  # state in the arena: the table must be a constant
    else:
        t.data, t.shape, t.dtype = table, table.shape, DType.INT32 if table.dtype == np.int32 else DType.INT8
    assert _loaded_status(graph) == Status.ERR_OP_PARAMS


def test_lut_in_place_over_another_buffer() -> None:
    graph = _lut_graph()
    op = graph.ops[0]
    assert op.variant == Variant.REF_INPLACE
    assert _loaded_status(graph, {op.output: 64}) == Status.ERR_OP_PARAMS


def _binary_graph(name: str, shape1: list[int], shape2: list[int], const2: bool = False) -> Graph:
    same = name in ("MAXIMUM", "MINIMUM")  # TFLM compares raw values: one quantization
    mb = ModelBuilder()
    a = mb.tensor(shape1, "int8", q=q(0.1, 1), name="a")
    b = mb.tensor(shape2, "int8", q=q(0.1, 1) if same else q(0.05, -2), name="b",
                  data=np.ones(shape2, np.int8) if const2 else None)
    y = mb.tensor(list(np.broadcast_shapes(tuple(shape1), tuple(shape2))), "int8", q=q(0.1, 1) if same else q(0.2, 3),
                  name="y")
    mb.op(name, [a, b], [y])
    return _graph(mb.build([a] if const2 else [a, b], [y]))


@pytest.mark.parametrize("name", ["ADD", "SUB", "MUL", "MAXIMUM", "MINIMUM", "PRELU", "SQUARED_DIFFERENCE"])
def test_element_wise_in_place_with_input_0_broadcast(name: str) -> None:
    """In place needs input 0 at the output's dims: a broadcast input 0
    would be overwritten before all its reads."""
    graph = _binary_graph(name, [1, 4], [3, 4], const2=name == "PRELU")
    op = graph.ops[0]
    assert op.variant == Variant.REF
    op.variant = Variant.REF_INPLACE
    assert _loaded_status(graph) == Status.ERR_OP_PARAMS


@pytest.mark.parametrize("name", ["ADD", "SQUARED_DIFFERENCE", "MINIMUM"])
def test_element_wise_in_place_with_input_1_over_the_output(name: str) -> None:
    graph = _binary_graph(name, [3, 4], [3, 4])
    op = graph.ops[0]
    assert op.variant == Variant.REF_INPLACE
    assert _loaded_status(graph, {op.inputs[1]: 4}) == Status.ERR_OP_PARAMS


@pytest.mark.parametrize("name, field, value", [
    ("SQUARED_DIFFERENCE", "left_shift", 8), ("SQUARED_DIFFERENCE", "input1_shift", 1),
    ("SQUARED_DIFFERENCE", "output_shift", 32), ("SQUARED_DIFFERENCE", "act_min", -129),
    ("PRELU", "alpha_offset", 129), ("PRELU", "input_offset", -128), ("PRELU", "output_multiplier_2", -1),
    ("PRELU", "output_shift_1", -32),
])
def test_prelu_and_squared_difference_parameters_out_of_range(name: str, field: str, value: int) -> None:
    graph = _binary_graph(name, [3, 4], [4], const2=name == "PRELU")
    graph.ops[0].params[field] = value
    assert _loaded_status(graph) == Status.ERR_OP_PARAMS


# --- COPY in place (PAD, PADV2): the loader takes only what the back-to-front
# kernel is exact for ------------------------------------------------------

def _copy_graph(name: str, in_shape: list[int], out_shape: list[int], *consts: np.ndarray, **opts: object) -> Graph:
    mb = ModelBuilder()
    x = mb.tensor(in_shape, "int8", q=q(0.1, 1), name="x")
    y = mb.tensor(out_shape, "int8", q=q(0.1, 1), name="y")
    ins = [x] + [mb.tensor(list(c.shape), "int32", data=c, name=f"c{k}") for k, c in enumerate(consts)]
    mb.op(name, ins, [y], **opts)
    graph = _graph(mb.build([x], [y]))
    assert [op.type for op in graph.ops] == [OpType.COPY]
    return graph


def _pad_graph() -> Graph:
    graph = _copy_graph("PAD", [1, 3], [1, 6], np.array([[0, 0], [0, 3]], np.int32))
    assert graph.ops[0].variant == Variant.REF_INPLACE
    return graph


def test_copy_in_place_over_another_buffer() -> None:
    graph = _pad_graph()
    assert _loaded_status(graph, {graph.ops[0].output: 64}) == Status.ERR_OP_PARAMS


@pytest.mark.parametrize("name, in_shape, out_shape, consts, opts", [
    # Reversed: output element 0 reads input element 2, ahead of it.
    ("STRIDED_SLICE", [3], [3], [[-1], [-4], [-1]], {}),
    # Transposed: output element 1 reads input element 3.
    ("TRANSPOSE", [2, 3], [3, 2], [[1, 0]], {}),
    # Mirrored runs: several pieces.
    ("MIRROR_PAD", [1, 3], [1, 5], [[[0, 0], [1, 1]]], {"mode": "REFLECT"}),
])
def test_copy_in_place_of_a_piece_the_kernel_cannot_take(name: str, in_shape: list[int], out_shape: list[int],
                                                         consts: list[list[int]], opts: dict[str, object]) -> None:
    graph = _copy_graph(name, in_shape, out_shape, *(np.array(c, np.int32) for c in consts), **opts)
    assert graph.ops[0].variant == Variant.REF
    Model(write_blob(graph, plan(graph)))
    graph.ops[0].variant = Variant.REF_INPLACE
    assert _loaded_status(graph) == Status.ERR_OP_PARAMS


def test_copy_in_place_of_a_piece_out_of_order() -> None:
    """A piece inside both tensors, never reading ahead of its writes, but
    whose output indices do not rise with its order (0, 2, 4, then 1, 3,
    5): back to front it would overwrite what it still reads. Out of place
    it loads."""
    graph = _pad_graph()
    table = graph.tensors[graph.ops[0].inputs[1]]
    row = fmt.COPY_PIECE.pack(input=0, output=0, in_offset=0, out_offset=0, count=[1, 1, 1, 1, 2, 3],
                              in_stride=[0, 0, 0, 0, 0, 1], out_stride=[0, 0, 0, 0, 1, 2])
    table.data = np.frombuffer(row, "<i4").reshape(1, -1).copy()
    assert _loaded_status(graph) == Status.ERR_OP_PARAMS
    graph.ops[0].variant = Variant.REF
    Model(write_blob(graph, plan(graph)))
