/* The default op table: every op. Kept alone in its object file so that a
 * firmware's own trt_op_table (see tinyrt/ops.h) replaces it at link time. */
#include "tinyrt/ops.h"

const trt_op_fn_t trt_op_table[TRT_OP_COUNT_] = {
    [TRT_OP_CONV_2D] = trt_op_conv_2d,
    [TRT_OP_DEPTHWISE_CONV_2D] = trt_op_depthwise_conv_2d,
    [TRT_OP_DEPTHWISE_CONV_2D_INPLACE] = trt_op_depthwise_conv_2d_inplace,
    [TRT_OP_FULLY_CONNECTED] = trt_op_fully_connected,
    [TRT_OP_AVERAGE_POOL_2D] = trt_op_average_pool_2d,
    [TRT_OP_MAX_POOL_2D] = trt_op_max_pool_2d,
    [TRT_OP_ADD] = trt_op_add,
    [TRT_OP_SOFTMAX] = trt_op_softmax,
    [TRT_OP_RESHAPE] = trt_op_reshape,
    [TRT_OP_QUANTIZE] = trt_op_quantize,
    [TRT_OP_REQUANTIZE] = trt_op_requantize,
    [TRT_OP_DEQUANTIZE] = trt_op_dequantize,
    [TRT_OP_CONV_2D_INPLACE] = trt_op_conv_2d_inplace,
};
