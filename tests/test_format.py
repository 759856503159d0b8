"""format.py (the Python blob layout and op list) against the C headers,
through cffi: every struct size and field offset, every enum in both
directions, the kernels each directory provides, the params sizes, and the
loader's limits as python/tinyrt/limits.py reads them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tinyrt import format as fmt

native = pytest.importorskip("tinyrt.native", reason="host library not built")
ffi, lib = native.ffi, native.lib
ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("spec", fmt.ALL_STRUCTS, ids=lambda s: s.c_name)
def test_struct_layout_matches_c(spec: fmt.Struct) -> None:
    assert ffi.sizeof(spec.c_name) == spec.size
    for name in spec.names:
        assert ffi.offsetof(spec.c_name, name) == spec.offset(name), name


def test_constants_match_c() -> None:
    assert lib.TRT_MAGIC == fmt.MAGIC
    assert lib.TRT_FORMAT_VERSION == fmt.VERSION
    assert lib.TRT_MAX_DIMS == fmt.MAX_DIMS
    assert lib.TRT_HEADER_CRC_START == fmt.HEADER_CRC_START


@pytest.mark.parametrize(
    "enum, c_type, prefix",
    [(fmt.DType, "trt_type_t", "TRT_TYPE_"), (fmt.Storage, "trt_storage_t", "TRT_STORAGE_"),
     (fmt.OpType, "trt_op_type_t", "TRT_OP_"), (fmt.Variant, "trt_variant_t", "TRT_VARIANT_"),
     (fmt.Status, "trt_status_t", "TRT_")],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_enums_match_c_both_ways(enum: type[fmt.enum.IntEnum], c_type: str, prefix: str) -> None:
    # NONE_ and COUNT_ are the C enums' sentinels, not values.
    c_values = {name.removeprefix(prefix): value for name, value in ffi.typeof(c_type).relements.items()
                if not name.endswith("_")}
    assert c_values == {m.name: m.value for m in enum}


def test_op_and_variant_names_match_c() -> None:
    for op in fmt.OpType:
        assert ffi.string(lib.trt_op_name(op)).decode() == op.name
    for v in fmt.Variant:
        assert ffi.string(lib.trt_variant_name(v)).decode() == v.name
    assert ffi.string(lib.trt_op_name(999)).decode() == "?"
    assert ffi.string(lib.trt_variant_name(999)).decode() == "?"


def test_default_op_table_matches_kernels_and_params() -> None:
    """The host library builds every portable kernel directory: its default op
    table holds exactly format.KERNELS's pairs, with each op's params size."""
    linked = set()
    for op in range(1, lib.TRT_OP_COUNT_):
        impl = lib.trt_op_table[op]
        assert impl != ffi.NULL, fmt.OpType(op)
        spec = fmt.PARAMS[fmt.OpType(op)]
        assert impl.params_bytes == (spec.size if spec is not None else 0), fmt.OpType(op)
        linked |= {(op, v) for v in range(impl.n_variants) if impl.run[v] != ffi.NULL}
    assert linked == {(op, v) for pairs in fmt.KERNELS.values() for op, v in pairs}


def test_status_strings_are_distinct() -> None:
    texts = {ffi.string(lib.trt_status_str(s)).decode() for s in fmt.Status}
    assert len(texts) == len(fmt.Status)


def test_every_limit_is_read_through_the_binding() -> None:
    from tinyrt import limits

    header = (ROOT / "runtime/include/tinyrt/limits.h").read_text()
    defined = dict(re.findall(r"#define (TRT_\w+) \(?(-?\d+)\)?", header))
    assert defined, "no limits found in limits.h"
    assert limits.ALL == {name: int(v) for name, v in defined.items()}
    for name, value in limits.ALL.items():
        assert getattr(lib, name) == value, name


def test_pack_rejects_missing_and_unknown_fields() -> None:
    with pytest.raises(ValueError, match="missing"):
        fmt.FC_PARAMS.pack(input_offset=0, output_offset=0, act_min=-128)
    with pytest.raises(ValueError, match="unknown"):
        fmt.SOFTMAX_PARAMS.pack(input_multiplier=1, input_left_shift=1, diff_min=0, beta=1)
