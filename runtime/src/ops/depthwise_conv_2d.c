/* DEPTHWISE_CONV_2D: reference, and in place for depth multiplier 1
 * (trt_dwconv_s8_inplace). */
#include "conv.h"

trt_status_t trt_check_depthwise_conv_2d(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_conv_params_t *p = (const trt_conv_params_t *)trt_params(m, op);
    trt_status_t st = trt_check_conv(m, op, 1);
    trt_dims_t di, dout;

    if (st != TRT_OK || op->variant != TRT_VARIANT_REF_INPLACE)
    {
        return st;
    }
    di = trt_dims_of(trt_input_desc(m, op, 0));
    dout = trt_dims_of(trt_output_desc(m, op, 0));
    /* The output replaces the input channel by channel, from the same start,
     * through one output plane of scratch. */
    if (p->depth_multiplier != 1 || (int64_t)dout.h * dout.w > (int64_t)di.h * di.w ||
        !trt_check_inplace(m, op, trt_dwconv_s8_inplace_scratch_size(&dout)))
    {
        return TRT_ERR_OP_PARAMS;
    }
    return TRT_OK;
}

void trt_run_depthwise_conv_2d_ref(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_conv_args_t a = trt_conv_args(m, op);
    trt_dwconv_s8(&a.ctx, a.params, &a.q, &a.in_dims, a.in, &a.f_dims, a.filter, &a.b_dims, a.bias, &a.out_dims,
                  a.out);
}

void trt_run_depthwise_conv_2d_ref_inplace(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_conv_args_t a = trt_conv_args(m, op);
    trt_dwconv_s8_inplace(&a.ctx, a.params, &a.q, &a.in_dims, &a.f_dims, a.filter, &a.b_dims, a.bias, &a.out_dims,
                          a.out);
}
