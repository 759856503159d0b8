/* MUL, int8, requantizing, same shape or broadcast; in place where input1 has the output's dims. */
#include "../internal.h"

trt_status_t trt_check_mul(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_mul_params_t *p = (const trt_mul_params_t *)trt_params(m, op);

    if (!trt_check_binary(m, op) || !trt_between(p->input1_offset, -127, 128) ||
        !trt_between(p->input2_offset, -127, 128) || !trt_between(p->output_offset, -128, 127) ||
        !trt_check_requant(p->output_multiplier, p->output_shift) || !trt_check_act(p->act_min, p->act_max) ||
        !trt_check_binary_variant(m, op))
    {
        return TRT_ERR_OP_PARAMS;
    }
    return TRT_OK;
}

void trt_run_mul_ref(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_ctx_t ctx = trt_ctx(m, op);
    trt_dims_t in1_dims = trt_dims_of(trt_input_desc(m, op, 0));
    trt_dims_t in2_dims = trt_dims_of(trt_input_desc(m, op, 1));
    trt_dims_t out_dims = trt_dims_of(trt_output_desc(m, op, 0));
    trt_mul_s8(&ctx, (const trt_mul_params_t *)trt_params(m, op), &in1_dims, (const int8_t *)trt_input_data(m, op, 0),
               &in2_dims, (const int8_t *)trt_input_data(m, op, 1), &out_dims, (int8_t *)trt_output_data(m, op, 0));
}

/* The reference kernel is alias-safe for in place (kernels.h). */
void trt_run_mul_ref_inplace(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_run_mul_ref(m, op);
}
