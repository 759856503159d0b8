"""The loader's limits, read from runtime/include/tinyrt/limits.h through the
cffi binding, so the converter refuses what the loader would refuse, with a
message that names the limit."""

from __future__ import annotations

from .native import lib

MAX_DIMS: int = lib.TRT_MAX_DIMS
MAX_DIM: int = lib.TRT_MAX_DIM
MAX_ELEMENTS: int = lib.TRT_MAX_ELEMENTS
MAX_WINDOW: int = lib.TRT_MAX_WINDOW
MAX_PRODUCT: int = lib.TRT_MAX_PRODUCT
MAX_SOFTMAX_DEPTH: int = lib.TRT_MAX_SOFTMAX_DEPTH
MIN_SHIFT: int = lib.TRT_MIN_SHIFT
MAX_SHIFT: int = lib.TRT_MAX_SHIFT
MAX_ADD_LEFT_SHIFT: int = lib.TRT_MAX_ADD_LEFT_SHIFT
MAX_SQUARED_DIFFERENCE_LEFT_SHIFT: int = lib.TRT_MAX_SQUARED_DIFFERENCE_LEFT_SHIFT
MAX_OP_OPERANDS: int = lib.TRT_MAX_OP_OPERANDS
MAX_MEAN_COUNT: int = lib.TRT_MAX_MEAN_COUNT
MAX_DOT_DEPTH: int = lib.TRT_MAX_DOT_DEPTH
INT32_MAX = 2**31 - 1

# name in limits.h -> value, for messages and tests
ALL: dict[str, int] = {
    "TRT_" + name: value for name, value in globals().items() if name.isupper() and name != "INT32_MAX"
}
