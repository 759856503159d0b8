/* AVERAGE_POOL_2D, int8: the rounded mean of the in-image values of each
 * window; arm_dsp for 4k channels and windows of at most 255 pixels. */
#include "pool.h"

trt_status_t trt_check_average_pool_2d(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_pool_params_t *p = (const trt_pool_params_t *)trt_params(m, op);
    trt_status_t st = trt_check_pool(m, op);

    if (st != TRT_OK || op->variant == TRT_VARIANT_REF)
    {
        return st;
    }
#ifdef TRT_BUILD_KERNELS_ARM_DSP
    /* Four channels per pass; its halfword sums hold windows of at most 255 pixels. */
    if (op->variant == TRT_VARIANT_DSP && trt_dims_of(trt_input_desc(m, op, 0)).c % 4 == 0 &&
        (int64_t)p->filter_h * p->filter_w <= TRT_AVGPOOL_DSP_MAX_WINDOW)
    {
        return TRT_OK;
    }
#else
    (void)p;
#endif
    return TRT_ERR_OP_PARAMS;
}

void trt_run_average_pool_2d_ref(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_tensor_desc_t *in = trt_input_desc(m, op, 0);
    const trt_tensor_desc_t *out = trt_output_desc(m, op, 0);
    trt_ctx_t ctx = trt_ctx(m, op);
    trt_dims_t in_dims = trt_dims_of(in);
    trt_dims_t out_dims = trt_dims_of(out);
    trt_avgpool_s8(&ctx, (const trt_pool_params_t *)trt_params(m, op), &in_dims, (const int8_t *)trt_data(m, in),
                   &out_dims, (int8_t *)trt_data(m, out));
}

#ifdef TRT_BUILD_KERNELS_ARM_DSP
void trt_run_average_pool_2d_dsp(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_tensor_desc_t *in = trt_input_desc(m, op, 0);
    const trt_tensor_desc_t *out = trt_output_desc(m, op, 0);
    trt_dims_t in_dims = trt_dims_of(in);
    trt_dims_t out_dims = trt_dims_of(out);
    trt_avgpool_s8_dsp((const trt_pool_params_t *)trt_params(m, op), &in_dims, (const int8_t *)trt_data(m, in),
                       &out_dims, (int8_t *)trt_data(m, out));
}
#endif
