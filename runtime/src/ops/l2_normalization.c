/* L2_NORMALIZATION, int8, along the last dim; output scale 1/128, zero point 0. */
#include "../internal.h"

trt_status_t trt_check_l2_normalization(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_l2norm_params_t *p = (const trt_l2norm_params_t *)trt_params(m, op);
    const trt_tensor_desc_t *in, *out;

    if (!trt_check_arity(op, 1, 1))
    {
        return TRT_ERR_OP_PARAMS;
    }
    in = trt_check_input(m, op, 0, TRT_TYPE_INT8);
    out = trt_check_output(m, op, 0, TRT_TYPE_INT8);
    if (in == NULL || out == NULL || in->rank != out->rank || !trt_same_elements(in, out) ||
        in->dims[in->rank - 1] != out->dims[out->rank - 1] || in->dims[in->rank - 1] > TRT_MAX_DOT_DEPTH ||
        !trt_between(p->input_offset, -127, 128))
    {
        return TRT_ERR_OP_PARAMS;
    }
    return TRT_OK;
}

void trt_run_l2_normalization_ref(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_tensor_desc_t *in = trt_input_desc(m, op, 0);
    const int32_t depth = in->dims[in->rank - 1];
    trt_ctx_t ctx = trt_ctx(m, op);
    trt_l2norm_s8(&ctx, (const trt_l2norm_params_t *)trt_params(m, op), trt_elements(in) / depth, depth,
                  (const int8_t *)trt_data(m, in), (int8_t *)trt_output_data(m, op, 0));
}
