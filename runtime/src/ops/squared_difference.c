/* SQUARED_DIFFERENCE, int8, same shape or broadcast (ADD's params struct);
 * in place where input1 has the output's dims. */
#include "../internal.h"

trt_status_t trt_check_squared_difference(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_add_params_t *p = (const trt_add_params_t *)trt_params(m, op);

    /* TFLM's left shift 7 with input multipliers below one keeps the scaled
     * inputs within 16 bits (limits.h). */
    if (!trt_check_binary(m, op) || !trt_between(p->input1_offset, -127, 128) ||
        !trt_between(p->input2_offset, -127, 128) || !trt_between(p->output_offset, -128, 127) ||
        !trt_between(p->left_shift, 0, TRT_MAX_SQUARED_DIFFERENCE_LEFT_SHIFT) || !trt_check_requant(p->input1_multiplier, p->input1_shift) ||
        !trt_check_requant(p->input2_multiplier, p->input2_shift) || p->input1_shift > 0 || p->input2_shift > 0 ||
        !trt_check_requant(p->output_multiplier, p->output_shift) || !trt_check_act(p->act_min, p->act_max) ||
        !trt_check_binary_variant(m, op))
    {
        return TRT_ERR_OP_PARAMS;
    }
    return TRT_OK;
}

void trt_run_squared_difference_ref(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_ctx_t ctx = trt_ctx(m, op);
    trt_dims_t in1_dims = trt_dims_of(trt_input_desc(m, op, 0));
    trt_dims_t in2_dims = trt_dims_of(trt_input_desc(m, op, 1));
    trt_dims_t out_dims = trt_dims_of(trt_output_desc(m, op, 0));
    trt_squared_difference_s8(&ctx, (const trt_add_params_t *)trt_params(m, op), &in1_dims,
                              (const int8_t *)trt_input_data(m, op, 0), &in2_dims,
                              (const int8_t *)trt_input_data(m, op, 1), &out_dims, (int8_t *)trt_output_data(m, op, 0));
}

/* The reference kernel is alias-safe for in place (kernels.h). */
void trt_run_squared_difference_ref_inplace(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_run_squared_difference_ref(m, op);
}
