"""Numpy reference kernels, bit-exact with TFLM's reference kernels.

Named and parametrized like the C kernels in kernels/include/tinyrt/kernels.h:
keyword arguments are the fields of the matching trt_*_params_t struct.
Quantized tensors are NHWC int8 numpy arrays; per-channel requantization takes
int32 `multiplier`/`shift` arrays of length 1 (per tensor) or Cout.
A kernel of several outputs (split_s8) returns a list, one array per output.
"""

from .activations import (
    abs_s8,
    elu_s8,
    hard_swish_s8,
    leaky_relu_s8,
    logistic_s8,
    lut_s8,
    relu6_s8,
    relu_s8,
    rsqrt_s8,
    tanh_s8,
)
from .batch_matmul import batch_matmul_s8
from .elementwise import (
    add_s8,
    concat_s8,
    dequantize_s8_f32,
    maximum_s8,
    mean_s8,
    minimum_s8,
    mul_s8,
    prelu_s8,
    quantize_f32_s8,
    requantize_s8,
    reshape,
    softmax_s8,
    split_s8,
    squared_difference_s8,
    sub_s8,
)
from .fixedpoint import mul_by_quantized_multiplier
from .l2norm import l2norm_s8
from .move import (
    batch_to_space_nd_s8,
    copy_s8,
    depth_to_space_s8,
    gather_s8,
    mirror_pad_s8,
    pack_s8,
    pad_s8,
    slice_s8,
    space_to_batch_nd_s8,
    space_to_depth_s8,
    strided_slice_s8,
    tile_s8,
    transpose_s8,
    unpack_s8,
)
from .nn import (
    avgpool_s8,
    conv1x1_s8_inplace,
    conv_s8,
    dwconv_s8,
    dwconv_s8_inplace,
    fc_s8,
    maxpool_s8,
    tconv_s8,
)
from .reduce import arg_max_s8, arg_min_s8, reduce_max_s8, reduce_min_s8
from .resize import resize_s8

__all__ = [
    "abs_s8",
    "elu_s8",
    "hard_swish_s8",
    "leaky_relu_s8",
    "logistic_s8",
    "lut_s8",
    "prelu_s8",
    "relu6_s8",
    "relu_s8",
    "rsqrt_s8",
    "squared_difference_s8",
    "tanh_s8",
    "batch_to_space_nd_s8",
    "copy_s8",
    "depth_to_space_s8",
    "gather_s8",
    "mirror_pad_s8",
    "pack_s8",
    "pad_s8",
    "slice_s8",
    "space_to_batch_nd_s8",
    "space_to_depth_s8",
    "strided_slice_s8",
    "tile_s8",
    "transpose_s8",
    "unpack_s8",
    "add_s8",
    "arg_max_s8",
    "arg_min_s8",
    "reduce_max_s8",
    "reduce_min_s8",
    "resize_s8",
    "avgpool_s8",
    "batch_matmul_s8",
    "concat_s8",
    "conv1x1_s8_inplace",
    "conv_s8",
    "dequantize_s8_f32",
    "dwconv_s8",
    "dwconv_s8_inplace",
    "fc_s8",
    "l2norm_s8",
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
    "tconv_s8",
]
