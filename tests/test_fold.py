"""Offline folding of shape arithmetic (SHAPE, STRIDED_SLICE, PACK, GATHER,
CONCATENATION on constant or shape-only inputs) and SQUEEZE / EXPAND_DIMS as
no-copy reshapes, on small hand-built models."""

from __future__ import annotations

import numpy as np
import pytest

from tinyrt.check import check_model
from tinyrt.compiler import compile_tflite
from tinyrt.convert import ARITY, SUPPORTED_OPS, ConvertError, convert
from tinyrt.format import OpType
from tinyrt.tflite_writer import ModelBuilder, QParams

Q = QParams(0.05, 3)


def i32(mb: ModelBuilder, values: list[int], shape: list[int] | None = None) -> int:
    data = np.array(values, np.int32).reshape(shape if shape is not None else [len(values)])
    return mb.tensor(list(data.shape), "int32", data=data)


def flatten_model() -> bytes:
    """What Keras 3's Flatten emits: SHAPE -> STRIDED_SLICE -> PACK -> RESHAPE."""
    mb = ModelBuilder()
    x = mb.tensor([1, 4, 4, 2], "int8", q=Q, name="x")
    shape = mb.tensor([4], "int32", name="shape")
    batch = mb.tensor([], "int32", name="batch")
    packed = mb.tensor([2], "int32", name="packed")
    y = mb.tensor([1, 32], "int8", q=Q, name="y")
    mb.op("SHAPE", [x], [shape])
    mb.op("STRIDED_SLICE", [shape, i32(mb, [0]), i32(mb, [1]), i32(mb, [1])], [batch], shrink_axis_mask=1)
    mb.op("PACK", [batch, i32(mb, [32], [])], [packed], axis=0)
    mb.op("RESHAPE", [x, packed], [y])
    return mb.build([x], [y])


def test_flatten_folds_to_one_aliased_reshape_bit_exact() -> None:
    compiled = compile_tflite(flatten_model())
    assert [op.type for op in compiled.graph.ops] == [OpType.RESHAPE]
    op = compiled.graph.ops[0]
    assert compiled.plan.tensor_offsets[op.inputs[0]] == compiled.plan.tensor_offsets[op.output]
    assert all(t.dtype.name == "INT8" for t in compiled.graph.tensors)  # no shape tensor left
    result = check_model(flatten_model(), samples=20)
    assert result.mismatches == [] and result.exact == 20


def test_gather_and_concatenation_of_a_shape_fold() -> None:
    mb = ModelBuilder()
    x = mb.tensor([1, 2, 3, 4], "int8", q=Q, name="x")
    shape = mb.tensor([4], "int32", name="shape")
    first = mb.tensor([1], "int32", name="first")
    target = mb.tensor([2], "int32", name="target")
    y = mb.tensor([1, 24], "int8", q=Q, name="y")
    mb.op("SHAPE", [x], [shape])
    mb.op("GATHER", [shape, i32(mb, [0])], [first], axis=0)
    mb.op("CONCATENATION", [first, i32(mb, [-1])], [target], axis=0)
    mb.op("RESHAPE", [x, target], [y])
    graph = convert(mb.build([x], [y]))
    assert [op.type for op in graph.ops] == [OpType.RESHAPE]
    assert len(graph.tensors) == 2


def test_squeeze_and_expand_dims_are_reshapes() -> None:
    mb = ModelBuilder()
    x = mb.tensor([1, 1, 6, 2], "int8", q=Q, name="x")
    s = mb.tensor([1, 6, 2], "int8", q=Q, name="squeezed")
    y = mb.tensor([1, 6, 1, 2], "int8", q=Q, name="y")
    mb.op("SQUEEZE", [x], [s], squeeze_dims=[1])
    mb.op("EXPAND_DIMS", [s, i32(mb, [2], [])], [y])
    tflite = mb.build([x], [y])
    compiled = compile_tflite(tflite)
    assert [op.type for op in compiled.graph.ops] == [OpType.RESHAPE, OpType.RESHAPE]
    result = check_model(tflite, samples=10)
    assert result.mismatches == [] and result.exact == 10


def test_constant_int32_arithmetic_and_int8_reshape_fold() -> None:
    """A RESHAPE of a constant folds; so do ADD and MUL of constant INT32."""
    mb = ModelBuilder()
    x = mb.tensor([1, 6], "int8", q=Q, name="x")
    c = mb.tensor([2, 3], "int8", q=Q, data=np.arange(6, dtype=np.int8).reshape(2, 3), name="c")
    c_flat = mb.tensor([1, 6], "int8", q=Q, name="c_flat")
    s = mb.tensor([2], "int32", name="s")
    s2 = mb.tensor([2], "int32", name="s2")
    y = mb.tensor([1, 6], "int8", q=QParams(0.1, 0), name="y")
    mb.op("ADD", [i32(mb, [0, 2]), i32(mb, [1, 1])], [s])
    mb.op("MUL", [s, i32(mb, [1, 2])], [s2])
    mb.op("RESHAPE", [c, s2], [c_flat])
    mb.op("ADD", [x, c_flat], [y])
    graph = convert(mb.build([x], [y]))
    assert [op.type for op in graph.ops] == [OpType.ADD]
    const = graph.tensors[graph.ops[0].inputs[1]]
    np.testing.assert_array_equal(const.data, np.arange(6, dtype=np.int8).reshape(1, 6))


def test_strided_slice_on_an_activation_is_a_copy() -> None:
    """Only constant inputs fold; on an activation STRIDED_SLICE runs as COPY."""
    mb = ModelBuilder()
    x = mb.tensor([1, 8], "int8", q=Q, name="act")
    y = mb.tensor([1, 4], "int8", q=Q, name="y")
    mb.op("STRIDED_SLICE", [x, i32(mb, [0, 0]), i32(mb, [1, 4]), i32(mb, [1, 1])], [y])
    assert [op.type for op in convert(mb.build([x], [y])).ops] == [OpType.COPY]


def test_strided_slice_with_computed_bounds_is_refused_naming_op_and_tensor() -> None:
    mb = ModelBuilder()
    x = mb.tensor([1, 8], "int8", q=Q, name="act")
    b = mb.tensor([2], "int32", name="begin")
    y = mb.tensor([1, 4], "int8", q=Q, name="y")
    mb.op("STRIDED_SLICE", [x, b, i32(mb, [1, 4]), i32(mb, [1, 1])], [y])
    with pytest.raises(ConvertError) as exc:
        convert(mb.build([x, b], [y]))
    msg = str(exc.value)
    assert "op 0 (STRIDED_SLICE)" in msg and "begin tensor 1 'begin'" in msg
    assert "is not constant; supported: a constant INT32 or INT64 tensor" in msg


def test_pack_of_activations_is_a_copy() -> None:
    mb = ModelBuilder()
    x = mb.tensor([4], "int8", q=Q, name="act")
    y = mb.tensor([2, 4], "int8", q=Q, name="y")
    mb.op("PACK", [x, x], [y], axis=0)
    assert [op.type for op in convert(mb.build([x], [y])).ops] == [OpType.COPY]


def test_a_folded_graph_output_is_refused() -> None:
    mb = ModelBuilder()
    x = mb.tensor([1, 3], "int8", q=Q, name="x")
    shape = mb.tensor([2], "int32", name="shape")
    mb.op("SHAPE", [x], [shape])
    with pytest.raises(ConvertError, match=r"graph output tensor 1 'shape'.*constants only"):
        convert(mb.build([x], [shape]))


def test_out_of_range_gather_is_refused() -> None:
    mb = ModelBuilder()
    x = mb.tensor([1, 3], "int8", q=Q, name="x")
    shape = mb.tensor([2], "int32", name="shape")
    g = mb.tensor([1], "int32", name="g")
    y = mb.tensor([3, 1], "int8", q=Q, name="y")
    mb.op("SHAPE", [x], [shape])
    mb.op("GATHER", [shape, i32(mb, [5])], [g])
    mb.op("RESHAPE", [x, g], [y])
    with pytest.raises(ConvertError, match=r"op 1 \(GATHER\).*tensor 2 'g'.*cannot be folded: index outside"):
        convert(mb.build([x], [y]))


def test_new_ops_are_supported_with_arity() -> None:
    for name in ("SHAPE", "STRIDED_SLICE", "PACK", "GATHER", "SQUEEZE", "EXPAND_DIMS"):
        assert name in SUPPORTED_OPS and name in ARITY


def test_verifier_schema_covers_the_shape_op_options(monkeypatch: pytest.MonkeyPatch) -> None:
    """As test_fuzz_tflite's schema test, for the options of the folded ops:
    every field the reader looks up is verified first (flatbuf.SCHEMA)."""
    import sys
    from pathlib import Path

    import flatbuffers.table

    from tinyrt.flatbuf import SCHEMA
    from tinyrt.tflite import read_tflite

    seen: set[tuple[str, int]] = set()
    original = flatbuffers.table.Table.Offset

    def offset(self: flatbuffers.table.Table, vtable_offset: int) -> int:
        caller = sys._getframe(1).f_locals.get("self")
        seen.add((type(caller).__name__, (vtable_offset - 4) // 2))
        return original(self, vtable_offset)

    monkeypatch.setattr(flatbuffers.table.Table, "Offset", offset)
    mb = ModelBuilder()
    x = mb.tensor([1, 1, 6], "int8", q=Q, name="x")
    s = mb.tensor([1, 6], "int8", q=Q, name="s")
    mb.op("SQUEEZE", [x], [s], squeeze_dims=[1])
    models = [flatten_model(), mb.build([x], [s])]
    models += [p.read_bytes() for p in sorted((Path(__file__).parent / "data").glob("*.tflite"))]
    for data in models:
        read_tflite(data)
    assert {"ShapeOptions", "StridedSliceOptions", "PackOptions", "SqueezeOptions"} <= {t for t, _ in seen}
    missing = {(t, i) for t, i in seen if i not in SCHEMA.get(t, {})}
    assert not missing, f"read but not verified: {sorted(missing)}"
