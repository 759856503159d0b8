/* SOFTMAX, int8 over the innermost dim: TFLM's fixed-point algorithm. */
#include "../internal.h"

trt_status_t trt_check_softmax(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_softmax_params_t *p = (const trt_softmax_params_t *)trt_params(m, op);
    const trt_tensor_desc_t *in, *out;

    if (!trt_check_arity(op, 1, 1))
    {
        return TRT_ERR_OP_PARAMS;
    }
    in = trt_check_input(m, op, 0, TRT_TYPE_INT8);
    out = trt_check_output(m, op, 0, TRT_TYPE_INT8);
    if (in == NULL || out == NULL || in->bytes != out->bytes || trt_dims_of(in).c > TRT_MAX_SOFTMAX_DEPTH ||
        p->input_multiplier < 0 || !trt_between(p->input_left_shift, 0, TRT_MAX_SHIFT) || p->diff_min > 0)
    {
        return TRT_ERR_OP_PARAMS;
    }
    return TRT_OK;
}

void trt_run_softmax_ref(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_tensor_desc_t *in = trt_input_desc(m, op, 0);
    trt_ctx_t ctx = trt_ctx(m, op);
    trt_dims_t in_dims = trt_dims_of(in);
    trt_softmax_s8(&ctx, (const trt_softmax_params_t *)trt_params(m, op), &in_dims, (const int8_t *)trt_data(m, in),
                   (int8_t *)trt_output_data(m, op, 0));
}
