"""Numpy reference kernels, bit-exact with TFLM's reference kernels.

Named and parametrized like the C kernels in kernels/include/tinyrt/kernels.h:
keyword arguments are the fields of the matching trt_*_params_t struct.
Quantized tensors are NHWC int8 numpy arrays; per-channel requantization takes
int32 `multiplier`/`shift` arrays of length 1 (per tensor) or Cout.
A kernel of several outputs (split_s8) returns a list, one array per output.
"""

from .elementwise import (
    add_s8,
    concat_s8,
    dequantize_s8_f32,
    maximum_s8,
    mean_s8,
    minimum_s8,
    mul_s8,
    quantize_f32_s8,
    requantize_s8,
    reshape,
    softmax_s8,
    split_s8,
    sub_s8,
)
from .fixedpoint import mul_by_quantized_multiplier
from .nn import (
    avgpool_s8,
    conv1x1_s8_inplace,
    conv_s8,
    dwconv_s8,
    dwconv_s8_dsp,
    dwconv_s8_inplace,
    fc_s8,
    fc_s8_dsp,
    maxpool_s8,
)

__all__ = [
    "add_s8",
    "avgpool_s8",
    "concat_s8",
    "conv1x1_s8_inplace",
    "conv_s8",
    "dequantize_s8_f32",
    "dwconv_s8",
    "dwconv_s8_dsp",
    "dwconv_s8_inplace",
    "fc_s8",
    "fc_s8_dsp",
    "maxpool_s8",
    "maximum_s8",
    "mean_s8",
    "minimum_s8",
    "mul_s8",
    "mul_by_quantized_multiplier",
    "quantize_f32_s8",
    "requantize_s8",
    "reshape",
    "softmax_s8",
    "split_s8",
    "sub_s8",
]
