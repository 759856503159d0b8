/* MEAN, int8, over any set of axes (a bitmask of NHWC dims in the params). */
#include "../internal.h"

trt_status_t trt_check_mean(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_mean_params_t *p = (const trt_mean_params_t *)trt_params(m, op);
    const trt_tensor_desc_t *in, *out;
    trt_dims_t d;
    int64_t count = 1, kept = 1;

    if (!trt_check_arity(op, 1, 1))
    {
        return TRT_ERR_OP_PARAMS;
    }
    in = trt_check_input(m, op, 0, TRT_TYPE_INT8);
    out = trt_check_output(m, op, 0, TRT_TYPE_INT8);
    /* Only bits of the input's own dims (right-aligned into NHWC). */
    if (in == NULL || out == NULL || in->rank < 1 || in->rank > TRT_MAX_DIMS || !trt_between(p->axes, 1, 15) ||
        (p->axes & ((1 << (TRT_MAX_DIMS - in->rank)) - 1)) != 0 || !trt_between(p->input_offset, -127, 128) ||
        !trt_between(p->output_offset, -128, 127) || !trt_check_requant(p->multiplier, p->shift))
    {
        return TRT_ERR_OP_PARAMS;
    }
    d = trt_dims_of(in);
    {
        const int32_t dims[4] = {d.n, d.h, d.w, d.c};
        int k;
        for (k = 0; k < 4; k++)
        {
            if ((p->axes >> k) & 1)
            {
                count *= dims[k];
            }
            else
            {
                kept *= dims[k];
            }
        }
    }
    /* The output holds the kept dims, with or without the reduced ones as 1. */
    if (count > TRT_MAX_MEAN_COUNT || kept != trt_elements(out))
    {
        return TRT_ERR_OP_PARAMS;
    }
    return TRT_OK;
}

void trt_run_mean_ref(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_tensor_desc_t *in = trt_input_desc(m, op, 0);
    trt_ctx_t ctx = trt_ctx(m, op);
    trt_dims_t in_dims = trt_dims_of(in);
    trt_mean_s8(&ctx, (const trt_mean_params_t *)trt_params(m, op), &in_dims, (const int8_t *)trt_data(m, in),
                (int8_t *)trt_output_data(m, op, 0));
}
