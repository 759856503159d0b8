"""Every loader limit (runtime/include/tinyrt/limits.h) is a converter error
that names the op, the tensor and the limit, for a model that exceeds it,
instead of a blob that the loader later refuses with a bare status."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from tinyrt import limits, quant
from tinyrt.compiler import compile_tflite
from tinyrt.convert import ConvertError
from tinyrt.tflite_writer import ModelBuilder, QParams


def _pool(shape: list[int], out_shape: list[int], stride: int = 1, window: int = 1) -> bytes:
    mb = ModelBuilder()
    x = mb.tensor(shape, "int8", q=QParams(0.1, 0), name="x")
    y = mb.tensor(out_shape, "int8", q=QParams(0.1, 0), name="y")
    mb.op("MAX_POOL_2D", [x], [y], padding="VALID", stride_h=stride, stride_w=1, filter_h=window, filter_w=1)
    return mb.build([x], [y])


def rank_5() -> bytes:
    mb = ModelBuilder()
    x = mb.tensor([1, 2, 2, 2, 2], "int8", q=QParams(0.1, 0), name="x")
    y = mb.tensor([1, 2, 2, 2, 2], "int8", q=QParams(0.2, 0), name="y")
    mb.op("QUANTIZE", [x], [y])
    return mb.build([x], [y])


def dim_70000() -> bytes:
    return _pool([1, 70000, 1, 1], [1, 70000, 1, 1])


def too_many_elements() -> bytes:
    return _pool([1, 65535, 8200, 1], [1, 65535, 8200, 1])


def stride_2000() -> bytes:
    return _pool([1, 4000, 1, 1], [1, 2, 1, 1], stride=2000)


def window_2000() -> bytes:
    return _pool([1, 2000, 1, 1], [1, 1, 1, 1], window=2000)


def accumulator() -> bytes:
    """3x3 over 8000 channels: 72,000 products per output."""
    mb = ModelBuilder()
    x = mb.tensor([1, 3, 3, 8000], "int8", q=QParams(0.1, 0), name="x")
    w = mb.tensor([1, 3, 3, 8000], "int8", q=QParams(0.01, 0), data=np.ones((1, 3, 3, 8000), np.int8), name="w")
    y = mb.tensor([1, 1, 1, 1], "int8", q=QParams(1.0, 0), name="y")
    mb.op("CONV_2D", [x, w, -1], [y], padding="VALID", stride_h=1, stride_w=1)
    return mb.build([x], [y])


def softmax_10000() -> bytes:
    mb = ModelBuilder()
    x = mb.tensor([1, 10000], "int8", q=QParams(0.1, 0), name="x")
    y = mb.tensor([1, 10000], "int8", q=QParams(1 / 256, -128), name="y")
    mb.op("SOFTMAX", [x], [y], beta=1.0)
    return mb.build([x], [y])


def scale_ratio_1e12() -> bytes:
    mb = ModelBuilder()
    x = mb.tensor([1, 8], "int8", q=QParams(1.0, 0), name="x")
    y = mb.tensor([1, 8], "int8", q=QParams(1e-12, 0), name="y")
    mb.op("QUANTIZE", [x], [y])
    return mb.build([x], [y])


def concat_300() -> bytes:
    mb = ModelBuilder()
    xs = [mb.tensor([1, 1], "int8", q=QParams(0.1, 0), name=f"x{i}") for i in range(300)]
    y = mb.tensor([1, 300], "int8", q=QParams(0.1, 0), name="y")
    mb.op("CONCATENATION", xs, [y], axis=1)
    return mb.build(xs, [y])


def mean_9m() -> bytes:
    """A global average over 3000 x 3000 pixels: 9,000,000 elements per output."""
    mb = ModelBuilder()
    x = mb.tensor([1, 3000, 3000, 1], "int8", q=QParams(0.1, 0), name="x")
    axes = mb.tensor([2], "int32", data=np.array([1, 2], np.int32), name="axes")
    y = mb.tensor([1, 1, 1, 1], "int8", q=QParams(0.1, 0), name="y")
    mb.op("MEAN", [x, axes], [y], keep_dims=True)
    return mb.build([x], [y])


def l2norm_40000() -> bytes:
    mb = ModelBuilder()
    x = mb.tensor([1, 40000], "int8", q=QParams(0.1, 0), name="x")
    y = mb.tensor([1, 40000], "int8", q=QParams(1 / 128, 0), name="y")
    mb.op("L2_NORMALIZATION", [x], [y])
    return mb.build([x], [y])


# limit -> (model, the op and tensor the message must name)
EXCEEDING: dict[str, tuple[Callable[[], bytes], str, str]] = {
    "TRT_MAX_DIMS": (rank_5, "op 0 (QUANTIZE)", "tensor 1 'y'"),
    "TRT_MAX_DIM": (dim_70000, "op 0 (MAX_POOL_2D)", "tensor 0 'x'"),
    "TRT_MAX_ELEMENTS": (too_many_elements, "op 0 (MAX_POOL_2D)", "tensor 0 'x'"),
    "TRT_MAX_WINDOW": (stride_2000, "op 0 (MAX_POOL_2D)", "tensor 0 'x'"),
    "TRT_MAX_PRODUCT": (accumulator, "op 0 (CONV_2D)", "tensor 1 'w'"),
    "TRT_MAX_SOFTMAX_DEPTH": (softmax_10000, "op 0 (SOFTMAX)", "tensor 0 'x'"),
    "TRT_MAX_SHIFT": (scale_ratio_1e12, "op 0 (QUANTIZE)", "tensor 1 'y'"),
    "TRT_MAX_OP_OPERANDS": (concat_300, "op 0 (CONCATENATION)", "tensor 300 'y'"),
    "TRT_MAX_MEAN_COUNT": (mean_9m, "op 0 (MEAN)", "tensor 0 'x'"),
    "TRT_MAX_DOT_DEPTH": (l2norm_40000, "op 0 (L2_NORMALIZATION)", "tensor 0 'x'"),
}
# Limits no converted model can reach: the offline math never produces a
# value beyond them (tested below), the loader guards hostile blobs.
UNREACHABLE = {"TRT_MIN_SHIFT", "TRT_MAX_ADD_LEFT_SHIFT", "TRT_MAX_SQUARED_DIFFERENCE_LEFT_SHIFT"}


def test_every_limit_has_a_test() -> None:
    assert set(EXCEEDING) | UNREACHABLE == set(limits.ALL)


@pytest.mark.parametrize("limit", sorted(EXCEEDING))
def test_model_beyond_a_limit_is_a_converter_error(limit: str) -> None:
    make, op, tensor = EXCEEDING[limit]
    with pytest.raises(ConvertError) as err:
        compile_tflite(make())
    message = str(err.value)
    assert message.startswith(op), message
    assert tensor in message, message
    assert f"runtime limit {limit} = {limits.ALL[limit]}" in message, message


def test_a_second_limit_of_the_same_kind_names_the_window() -> None:
    with pytest.raises(ConvertError, match=r"window 2000 exceeds the runtime limit TRT_MAX_WINDOW = 1024"):
        compile_tflite(window_2000())


def test_unreachable_limits_hold_for_extreme_scales() -> None:
    for ratio in (1e-30, 1e-12, 2.0**-40, 1e-3, 0.999, 1.0, 1e3, 2.0**30):
        _, shift = quant.quantize_multiplier(ratio)
        assert shift >= limits.MIN_SHIFT, ratio
    # ADD's left shift is TFLM's constant 20 for int8, whatever the scales.
    for s1, s2, so in ((1e-6, 1.0, 1.0), (1.0, 1e-6, 1e-3), (1e3, 1e-3, 1e3)):
        assert 0 <= quant.add_params(s1, 0, s2, 0, so, 0, "NONE")["left_shift"] <= limits.MAX_ADD_LEFT_SHIFT
        # SQUARED_DIFFERENCE's is TFLM's constant 7.
        params = quant.squared_difference_params(s1, 0, s2, 0, so, 0)
        assert 0 <= params["left_shift"] <= limits.MAX_SQUARED_DIFFERENCE_LEFT_SHIFT
