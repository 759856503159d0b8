/* AVERAGE_POOL_2D, int8: the rounded mean of the in-image values of each window. */
#include "pool.h"

trt_status_t trt_check_average_pool_2d(const trt_model_t *m, const trt_op_desc_t *op)
{
    return trt_check_pool(m, op);
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
