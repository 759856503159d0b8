/* PRELU, int8, alpha broadcast to the input; in place where the input has
 * the output's dims. */
#include "../internal.h"

trt_status_t trt_check_prelu(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_prelu_params_t *p = (const trt_prelu_params_t *)trt_params(m, op);

    /* Offsets of int8 zero points keep |x| and |alpha| <= 255, so their
     * product cannot leave int32. */
    if (!trt_check_binary(m, op) || !trt_between(p->input_offset, -127, 128) ||
        !trt_between(p->alpha_offset, -127, 128) || !trt_between(p->output_offset, -128, 127) ||
        !trt_check_requant(p->output_multiplier_1, p->output_shift_1) ||
        !trt_check_requant(p->output_multiplier_2, p->output_shift_2) || !trt_check_binary_variant(m, op))
    {
        return TRT_ERR_OP_PARAMS;
    }
    return TRT_OK;
}

void trt_run_prelu_ref(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_ctx_t ctx = trt_ctx(m, op);
    trt_dims_t in_dims = trt_dims_of(trt_input_desc(m, op, 0));
    trt_dims_t alpha_dims = trt_dims_of(trt_input_desc(m, op, 1));
    trt_dims_t out_dims = trt_dims_of(trt_output_desc(m, op, 0));
    trt_prelu_s8(&ctx, (const trt_prelu_params_t *)trt_params(m, op), &in_dims, (const int8_t *)trt_input_data(m, op, 0),
                 &alpha_dims, (const int8_t *)trt_input_data(m, op, 1), &out_dims, (int8_t *)trt_output_data(m, op, 0));
}

/* The reference kernel is alias-safe for in place (kernels.h). */
void trt_run_prelu_ref_inplace(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_run_prelu_ref(m, op);
}
