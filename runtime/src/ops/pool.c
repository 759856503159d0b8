#include "pool.h"

/* Every window must hold at least one in-image element: the average divides
 * by that count. */
static int windows_ok(int32_t in, int32_t out, int32_t stride, int32_t filter, int32_t pad)
{
    return trt_between(stride, 1, TRT_MAX_WINDOW) && trt_between(filter, 1, TRT_MAX_WINDOW) &&
           trt_between(pad, 0, filter - 1) && (int64_t)(out - 1) * stride - pad < in;
}

trt_status_t trt_check_pool(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_pool_params_t *p = (const trt_pool_params_t *)trt_params(m, op);
    const trt_tensor_desc_t *in, *out;
    trt_dims_t di, dout;

    if (!trt_check_arity(op, 1, 1))
    {
        return TRT_ERR_OP_PARAMS;
    }
    in = trt_check_input(m, op, 0, TRT_TYPE_INT8);
    out = trt_check_output(m, op, 0, TRT_TYPE_INT8);
    if (in == NULL || out == NULL || in->rank != 4 || out->rank != 4)
    {
        return TRT_ERR_OP_PARAMS;
    }
    di = trt_dims_of(in);
    dout = trt_dims_of(out);
    if (di.n != dout.n || di.c != dout.c || !trt_check_act(p->act_min, p->act_max) ||
        !windows_ok(di.h, dout.h, p->stride_h, p->filter_h, p->pad_top) ||
        !windows_ok(di.w, dout.w, p->stride_w, p->filter_w, p->pad_left))
    {
        return TRT_ERR_OP_PARAMS;
    }
    return TRT_OK;
}
