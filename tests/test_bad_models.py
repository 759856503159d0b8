"""Odd but well-formed .tflite models: each is refused by the converter with
a ConvertError naming the op, the tensor and what is wrong, never a raw
Python exception, a blob the loader refuses, or a blob with the wrong
meaning. One test per class of the bad-input issue."""

from __future__ import annotations

import numpy as np
import pytest

from tinyrt.blob import write_blob
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


# --- int8 -> int8 functions (LUT), PRELU, SQUARED_DIFFERENCE ---------------

def _unary(name: str, x_q: QParams | None = None, y_q: QParams | None = None, x_dtype: str = "int8",
           y_shape: tuple[int, ...] = (1, 8)) -> bytes:
    mb = ModelBuilder()
    x = mb.tensor([1, 8], x_dtype, q=x_q if x_dtype == "int8" else None, name="x")
    y = mb.tensor(y_shape, "int8", q=y_q or q(0.1), name="y")
    mb.op(name, [x], [y])
    return mb.build([x], [y])


@pytest.mark.parametrize("name", ["RELU", "LOGISTIC", "TANH", "HARD_SWISH", "ELU", "RSQRT"])
def test_unary_function_of_a_float_input(name: str) -> None:
    refused(_unary(name, x_dtype="float32"), f"op 0 ({name})", "input", "'x'", "FLOAT32", "supported: INT8")


@pytest.mark.parametrize("name, scale, zp", [("LOGISTIC", 1 / 256, 0), ("LOGISTIC", 0.1, -128), ("TANH", 1 / 256, 0)])
def test_logistic_and_tanh_with_an_output_quantization_tflm_does_not_write(name: str, scale: float, zp: int) -> None:
    refused(_unary(name, q(0.05), q(scale, zp)), f"op 0 ({name})", "output", "'y'",
            f"TFLM's int8 {name} writes scale", "supported: that quantization")


def test_hard_swish_output_scale_below_a_128th_of_the_input() -> None:
    refused(_unary("HARD_SWISH", q(1.0), q(1e-3)), "op 0 (HARD_SWISH)", "'y'", "scale 0.001",
            "supported: an output scale above 1/128 of the input's")


def test_unary_function_changing_the_shape() -> None:
    refused(_unary("ABS", q(0.1), q(0.1), y_shape=(8, 1)), "op 0 (ABS)", "'y'", "shape",
            "supported: the input's shape")


@pytest.mark.parametrize("name", ["NEG", "EXP", "SQRT", "LOG", "RELU_N1_TO_1"])
def test_functions_tflm_has_no_int8_kernel_for(name: str) -> None:
    """The oracle cannot check them (TFLM refuses int8 for these), so they
    are not lowered."""
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
