"""format.py (the Python blob layout) against the C headers, through cffi."""

from __future__ import annotations

import pytest

from tinyrt import format as fmt

native = pytest.importorskip("tinyrt.native", reason="host library not built")
ffi, lib = native.ffi, native.lib


@pytest.mark.parametrize("spec", fmt.ALL_STRUCTS, ids=lambda s: s.c_name)
def test_struct_layout_matches_c(spec: fmt.Struct) -> None:
    assert ffi.sizeof(spec.c_name) == spec.size
    for name in spec.names:
        assert ffi.offsetof(spec.c_name, name) == spec.offset(name), name


def test_constants_match_c() -> None:
    assert lib.TRT_MAGIC == fmt.MAGIC
    assert lib.TRT_FORMAT_VERSION == fmt.VERSION
    assert lib.TRT_MAX_DIMS == fmt.MAX_DIMS
    assert lib.TRT_MAX_OP_INPUTS == fmt.MAX_OP_INPUTS
    assert lib.TRT_HEADER_CRC_START == fmt.HEADER_CRC_START


@pytest.mark.parametrize(
    "enum, prefix",
    [(fmt.DType, "TRT_TYPE_"), (fmt.Storage, "TRT_STORAGE_"), (fmt.OpType, "TRT_OP_"), (fmt.Variant, "TRT_VARIANT_"),
     (fmt.Status, "TRT_")],
)
def test_enums_match_c(enum: type, prefix: str) -> None:
    for member in enum:  # type: ignore[attr-defined]
        assert getattr(lib, prefix + member.name) == member.value, member
    assert lib.TRT_OP_COUNT_ == max(fmt.OpType) + 1


def test_op_names_match_c() -> None:
    for op in fmt.OpType:
        assert ffi.string(lib.trt_op_name(op)).decode() == op.name
    assert ffi.string(lib.trt_op_name(999)).decode() == "?"


def test_status_strings_are_distinct() -> None:
    texts = {ffi.string(lib.trt_status_str(s)).decode() for s in fmt.Status}
    assert len(texts) == len(fmt.Status)


def test_pack_rejects_missing_and_unknown_fields() -> None:
    with pytest.raises(ValueError, match="missing"):
        fmt.FC_PARAMS.pack(input_offset=0, output_offset=0, act_min=-128)
    with pytest.raises(ValueError, match="unknown"):
        fmt.SOFTMAX_PARAMS.pack(input_multiplier=1, input_left_shift=1, diff_min=0, beta=1)
