/* What CONV_2D and DEPTHWISE_CONV_2D share (conv.c): operands, checks and
 * the unpacking of the kernel arguments. */
#ifndef TINYRT_OPS_CONV_H
#define TINYRT_OPS_CONV_H

#include "../internal.h"

/* The kernel arguments of both convolutions. */
typedef struct
{
    trt_ctx_t ctx;
    const trt_conv_params_t *params;
    trt_requant_t q;
    trt_dims_t in_dims, f_dims, b_dims, out_dims;
    const int8_t *in, *filter;
    const int32_t *bias;
    int8_t *out;
} trt_conv_args_t;

/* Operands, windows, offsets, activation and requantization of either
 * convolution; `depthwise` picks the filter layout. */
trt_status_t trt_check_conv(const trt_model_t *m, const trt_op_desc_t *op, int depthwise);
trt_conv_args_t trt_conv_args(const trt_model_t *m, const trt_op_desc_t *op);

#endif /* TINYRT_OPS_CONV_H */
