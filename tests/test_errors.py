"""Bad input gets a clear error and changes nothing: unsupported .tflite
content, corrupt blobs, misuse of the C API."""

from __future__ import annotations

import struct

import numpy as np
import pytest

from models import all_ops_model
from tinyrt import format as fmt
from tinyrt.blob import header_of
from tinyrt.compiler import compile_tflite
from tinyrt.convert import ConvertError
from tinyrt.native import Model, TinyrtError, arena_required, ffi, lib
from tinyrt.ref.graph import run_graph
from tinyrt.tflite_writer import ModelBuilder, QParams


def conv_model(dtype: str) -> bytes:
    mb = ModelBuilder()
    q = QParams(0.1, 0) if dtype != "float32" else None
    x = mb.tensor([1, 4, 4, 2], dtype, q=q, name="image")
    w = mb.tensor([3, 1, 1, 2], dtype, q=q, data=np.ones((3, 1, 1, 2), dtype=np.float32 if q is None else np.int8),
                  name="weights")
    y = mb.tensor([1, 4, 4, 3], dtype, q=q, name="features")
    mb.op("CONV_2D", [x, w, -1], [y], padding="SAME")
    return mb.build([x], [y])


def test_float_model_names_op_tensor_and_what_is_supported() -> None:
    with pytest.raises(ConvertError) as err:
        compile_tflite(conv_model("float32"))
    msg = str(err.value)
    assert "op 0 (CONV_2D)" in msg and "'image'" in msg and "FLOAT32" in msg and "supported: INT8" in msg


def test_int16_activations_are_rejected() -> None:
    mb = ModelBuilder()
    a = mb.tensor([1, 8], "int16", q=QParams(0.01, 0), name="a16")
    b = mb.tensor([1, 8], "int16", q=QParams(0.01, 0), name="b16")
    c = mb.tensor([1, 8], "int16", q=QParams(0.02, 0), name="sum16")
    mb.op("ADD", [a, b], [c])
    with pytest.raises(ConvertError) as err:
        compile_tflite(mb.build([a, b], [c]))
    msg = str(err.value)
    assert "op 0 (ADD)" in msg and "'a16'" in msg and "INT16" in msg and "supported" in msg


def test_custom_op_is_named() -> None:
    mb = ModelBuilder()
    x = mb.tensor([1, 8], "int8", q=QParams(0.1, 0), name="x")
    y = mb.tensor([1, 8], "int8", q=QParams(0.1, 0), name="y")
    mb.op("CUSTOM", [x], [y], custom_code="MyOp")
    with pytest.raises(ConvertError) as err:
        compile_tflite(mb.build([x], [y]))
    msg = str(err.value)
    assert "op 0 (CUSTOM 'MyOp')" in msg and "'y'" in msg and "unsupported operator" in msg and "CONV_2D" in msg


def test_per_channel_activation_quantization_is_rejected() -> None:
    mb = ModelBuilder()
    x = mb.tensor([1, 2, 2, 2], "int8", q=QParams([0.1, 0.2], [0, 0], axis=3), name="x")
    y = mb.tensor([1, 1, 1, 2], "int8", q=QParams(0.1, 0), name="y")
    mb.op("MAX_POOL_2D", [x], [y], padding="VALID", stride_h=2, stride_w=2, filter_h=2, filter_w=2)
    with pytest.raises(ConvertError, match=r"op 0 \(MAX_POOL_2D\): input tensor 0 'x'.*per-channel"):
        compile_tflite(mb.build([x], [y]))


@pytest.fixture(scope="module")
def blob() -> bytes:
    return compile_tflite(all_ops_model()).blob


def _patch_header(blob: bytes, recrc: bool = True, **fields: int) -> bytes:
    h = header_of(blob)
    h.update(fields)
    out = bytearray(blob)
    out[: fmt.HEADER.size] = fmt.HEADER.pack(**h)
    if recrc:
        h["crc32"] = fmt.crc32(bytes(out[fmt.HEADER_CRC_START :]))
        out[: fmt.HEADER.size] = fmt.HEADER.pack(**h)
    return bytes(out)


@pytest.mark.parametrize(
    "mutate, status",
    [
        (lambda b: b[:10], fmt.Status.ERR_TRUNCATED),
        (lambda b: b"XXXX" + b[4:], fmt.Status.ERR_MAGIC),
        (lambda b: _patch_header(b, version=99), fmt.Status.ERR_VERSION),
        (lambda b: b[:-4], fmt.Status.ERR_TRUNCATED),
        (lambda b: b[:-1] + bytes([b[-1] ^ 1]), fmt.Status.ERR_CRC),
        (lambda b: _patch_header(b, ops_off=len(b) - 8), fmt.Status.ERR_SECTION),
        (lambda b: _patch_header(b, n_tensors=2**30), fmt.Status.ERR_SECTION),
        (lambda b: _patch_header(b, arena_bytes=16), fmt.Status.ERR_TENSOR),
    ],
)
def test_corrupt_blob_gives_its_status(blob: bytes, mutate: object, status: fmt.Status) -> None:
    bad = mutate(blob)  # type: ignore[operator]
    with pytest.raises(TinyrtError) as err:
        Model(bad, arena_bytes=4096)
    assert err.value.status == status
    assert status.name in str(err.value)


def test_bad_op_parameter_is_rejected(blob: bytes) -> None:
    h = header_of(blob)
    out = bytearray(blob)
    # Break the conv's stride (op 1, first field of its params) and re-sign.
    op = fmt.OP.unpack(blob, h["ops_off"] + fmt.OP.size)
    assert op["type"] == fmt.OpType.CONV_2D
    struct.pack_into("<i", out, h["data_off"] + int(op["params_off"]), 0)  # type: ignore[arg-type]
    with pytest.raises(TinyrtError) as err:
        Model(_patch_header(bytes(out)))
    assert err.value.status == fmt.Status.ERR_OP_PARAMS


def test_arena_too_small(blob: bytes) -> None:
    need = arena_required(blob)
    with pytest.raises(TinyrtError) as err:
        Model(blob, arena_bytes=need - 4)
    assert err.value.status == fmt.Status.ERR_ARENA_SIZE


def test_rejected_blob_leaves_arena_and_model_untouched(blob: bytes) -> None:
    arena = ffi.new("uint32_t[]", 1024)
    ffi.memmove(arena, b"\xa5" * 4096, 4096)
    data = ffi.new("uint32_t[]", (len(blob) + 3) // 4)
    bad = blob[:-1] + bytes([blob[-1] ^ 0x80])
    ffi.memmove(data, bad, len(bad))
    model = ffi.new("trt_model_t *")
    assert lib.trt_model_init(model, data, len(bad), arena, 4096) == fmt.Status.ERR_CRC
    assert bytes(ffi.buffer(arena, 4096)) == b"\xa5" * 4096
    assert lib.trt_invoke(model) == fmt.Status.ERR_NOT_READY
    t = ffi.new("trt_tensor_t *")
    assert lib.trt_input(model, 0, t) == fmt.Status.ERR_NOT_READY


def test_api_misuse(blob: bytes) -> None:
    assert lib.trt_invoke(ffi.NULL) == fmt.Status.ERR_NOT_READY
    assert lib.trt_model_init(ffi.NULL, ffi.NULL, 0, ffi.NULL, 0) == fmt.Status.ERR_ARG
    m = Model(blob)
    t = ffi.new("trt_tensor_t *")
    assert lib.trt_input(m._model, len(m.inputs), t) == fmt.Status.ERR_INDEX
    assert lib.trt_output(m._model, len(m.outputs), t) == fmt.Status.ERR_INDEX
    unaligned = ffi.new("uint8_t[]", len(blob) + 1)
    ffi.memmove(unaligned + 1, blob, len(blob))
    size = ffi.new("size_t *")
    assert lib.trt_arena_required(unaligned + 1, len(blob), size) == fmt.Status.ERR_ALIGN


def test_accessors_and_profiling_hook(blob: bytes) -> None:
    compiled = compile_tflite(all_ops_model())
    m = Model(blob)
    assert m.arena_bytes == compiled.arena_bytes
    assert m.inputs[0].shape == (1, 6, 5, 3) and m.inputs[0].dtype == fmt.DType.FLOAT32
    assert m.outputs[1].dtype == fmt.DType.INT8
    assert m.outputs[1].scale == pytest.approx(0.1) and m.outputs[1].zero_point == 7
    trace: list = []
    m.run([np.zeros((1, 6, 5, 3), np.float32)], trace=trace)
    assert [(e.index, e.end) for e in trace] == [(i, end) for i in range(m.num_ops) for end in (False, True)]
    assert [e.op_type for e in trace[::2]] == [op.type for op in compiled.graph.ops]


def test_persistent_state_is_kept_across_invocations_and_reset() -> None:
    """all_ops_model adds a variable tensor: the loader sets it to real zero
    (its zero point), the planner keeps every other tensor off it, so a value
    written there survives trt_invoke, and trt_reset_state restores it. The
    numpy graph reference agrees for both states."""
    compiled = compile_tflite(all_ops_model())
    [state_id] = [i for i, t in enumerate(compiled.graph.tensors) if t.persistent]
    state_t = compiled.graph.tensors[state_id]
    assert state_t.storage == fmt.Storage.PERSISTENT and state_t.zero_point == 3
    m = Model(compiled.blob)
    view = m.arena(compiled.plan.tensor_offsets[state_id], state_t.bytes)
    assert bytes(view) == bytes([3]) * state_t.bytes
    x = np.random.default_rng(5).normal(0, 2, (1, 6, 5, 3)).astype(np.float32)
    base = m.run([x])
    view[:] = bytes([0x7F]) * state_t.bytes
    changed = m.run([x])
    assert changed[0].tobytes() != base[0].tobytes()
    assert bytes(view) == bytes([0x7F]) * state_t.bytes, "an op or tensor overwrote the state"
    state = {state_id: np.full(state_t.shape, 0x7F, np.int8)}
    for ours, ref in zip(changed, run_graph(compiled.graph, [x], state), strict=True):
        np.testing.assert_array_equal(ours, ref)
    m.reset_state()
    assert bytes(view) == bytes([3]) * state_t.bytes
    for ours, ref in zip(m.run([x]), base, strict=True):
        np.testing.assert_array_equal(ours, ref)


def test_older_format_version_is_refused_with_its_own_status(blob: bytes) -> None:
    with pytest.raises(TinyrtError) as err:
        Model(_patch_header(blob, version=1), arena_bytes=4096)
    assert err.value.status == fmt.Status.ERR_OLD_VERSION
    assert "older format" in str(err.value)


def test_every_unsupported_op_is_listed_at_once() -> None:
    mb = ModelBuilder()
    x = mb.tensor([1, 8], "int8", q=QParams(0.1, 0), name="x")
    y = mb.tensor([1, 8], "int8", q=QParams(0.1, 0), name="y")
    z = mb.tensor([1, 8], "int8", q=QParams(0.1, 0), name="z")
    w = mb.tensor([1, 8], "int8", q=QParams(0.2, 0), name="w")
    mb.op("CUSTOM", [x], [y], custom_code="First")
    mb.op("QUANTIZE", [y], [z])
    mb.op("CUSTOM", [z], [w], custom_code="Second")
    with pytest.raises(ConvertError) as err:
        compile_tflite(mb.build([x], [w]))
    msg = str(err.value)
    assert msg.startswith("2 unsupported operators: ")
    assert "op 0 (CUSTOM 'First') (output tensor 1 'y'" in msg and "op 2 (CUSTOM 'Second') (output tensor 3 'w'" in msg
    assert "op 1 (QUANTIZE)" not in msg and "\n" not in msg and "supported: " in msg


def _tconv_compiled() -> object:
    mb = ModelBuilder()
    s = mb.tensor([4], "int32", data=np.array([1, 7, 7, 3], np.int32), name="out_shape")
    w = mb.tensor([3, 3, 3, 2], "int8", q=QParams(0.01, 0), data=np.ones((3, 3, 3, 2), np.int8), name="w")
    x = mb.tensor([1, 3, 3, 2], "int8", q=QParams(0.1, 0), name="x")
    y = mb.tensor([1, 7, 7, 3], "int8", q=QParams(0.2, 0), name="y")
    mb.op("TRANSPOSE_CONV", [s, w, x], [y], padding="VALID", stride_h=2, stride_w=2)
    return compile_tflite(mb.build([x], [y]))


@pytest.mark.parametrize("what", ["none", "stride 0", "stride 1025", "pad -1", "input_offset 129",
                                  "act_min > act_max", "scratch short", "scratch misaligned",
                                  "scratch over output", "scratch over input", "filter Cin"])
def test_bad_transpose_conv_parameter_is_rejected(what: str) -> None:
    """Every TRANSPOSE_CONV parameter the loader relies on is checked: a blob
    with one broken is refused with a status (the kernel would index outside
    its buffers, or sum into the data it reads)."""
    from tinyrt.blob import write_blob

    compiled = _tconv_compiled()
    graph, plan = compiled.graph, compiled.plan  # type: ignore[attr-defined]
    op = graph.ops[0]
    assert op.type == fmt.OpType.TRANSPOSE_CONV and op.scratch_bytes == 7 * 7 * 3 * 4
    plan.arena_bytes += 64  # room to move the scratch without leaving the arena
    patch = {"stride 0": {"stride_h": 0}, "stride 1025": {"stride_w": 1025}, "pad -1": {"pad_left": -1},
             "input_offset 129": {"input_offset": 129}, "act_min > act_max": {"act_min": 5, "act_max": 4}}
    op.params.update(patch.get(what, {}))
    if what == "scratch short":
        op.scratch_bytes -= 4
    elif what == "scratch misaligned":
        plan.scratch_offsets[0] += 2
    elif what in ("scratch over output", "scratch over input"):
        plan.scratch_offsets[0] = plan.tensor_offsets[op.output if what == "scratch over output" else op.inputs[0]]
    elif what == "filter Cin":
        w = graph.tensors[op.inputs[1]]
        w.data, w.shape = w.data[..., :1].copy(), (3, 3, 3, 1)
    blob = write_blob(graph, plan)
    if what == "none":
        Model(blob)
        return
    with pytest.raises(TinyrtError) as err:
        Model(blob)
    assert err.value.status == fmt.Status.ERR_OP_PARAMS
