/* ADD and SUB (ADD's params and checks), int8, requantizing, same shape or
 * broadcast; in place (output over input1) where input1 has the output's dims;
 * arm_dsp without broadcast, out of place and in place. */
#include "../internal.h"

trt_status_t trt_check_add(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_add_params_t *p = (const trt_add_params_t *)trt_params(m, op);

    /* Input multipliers below one (shift <= 0) keep the sum of the two
     * scaled inputs inside int32, with the left shift's headroom. */
    if (!trt_check_binary(m, op) || !trt_between(p->input1_offset, -127, 128) ||
        !trt_between(p->input2_offset, -127, 128) || !trt_between(p->output_offset, -128, 127) ||
        !trt_between(p->left_shift, 0, TRT_MAX_ADD_LEFT_SHIFT) ||
        !trt_check_requant(p->input1_multiplier, p->input1_shift) ||
        !trt_check_requant(p->input2_multiplier, p->input2_shift) || p->input1_shift > 0 || p->input2_shift > 0 ||
        !trt_check_requant(p->output_multiplier, p->output_shift) || !trt_check_act(p->act_min, p->act_max) ||
        !trt_check_binary_variant(m, op))
    {
        return TRT_ERR_OP_PARAMS;
    }
    switch (op->variant)
    {
    case TRT_VARIANT_REF:
    case TRT_VARIANT_REF_INPLACE: /* trt_check_binary_variant checked the aliasing */
        return TRT_OK;
#ifdef TRT_BUILD_KERNELS_ARM_DSP
    case TRT_VARIANT_DSP:
    case TRT_VARIANT_DSP_INPLACE: {
        /* No broadcast; the two tables in word-aligned scratch. */
        const trt_dims_t d1 = trt_dims_of(trt_input_desc(m, op, 0));
        const trt_dims_t d2 = trt_dims_of(trt_input_desc(m, op, 1));
        const trt_dims_t dout = trt_dims_of(trt_output_desc(m, op, 0));
        return d1.n == dout.n && d1.h == dout.h && d1.w == dout.w && d1.c == dout.c && d2.n == dout.n &&
                       d2.h == dout.h && d2.w == dout.w && d2.c == dout.c &&
                       (int64_t)op->scratch_bytes >= trt_add_s8_dsp_scratch_size() && op->scratch_off % 4 == 0
                   ? TRT_OK
                   : TRT_ERR_OP_PARAMS;
    }
#endif
    default:
        return TRT_ERR_OP_PARAMS;
    }
}

void trt_run_add_ref(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_ctx_t ctx = trt_ctx(m, op);
    trt_dims_t in1_dims = trt_dims_of(trt_input_desc(m, op, 0));
    trt_dims_t in2_dims = trt_dims_of(trt_input_desc(m, op, 1));
    trt_dims_t out_dims = trt_dims_of(trt_output_desc(m, op, 0));
    trt_add_s8(&ctx, (const trt_add_params_t *)trt_params(m, op), &in1_dims, (const int8_t *)trt_input_data(m, op, 0),
               &in2_dims, (const int8_t *)trt_input_data(m, op, 1), &out_dims, (int8_t *)trt_output_data(m, op, 0));
}

trt_status_t trt_check_sub(const trt_model_t *m, const trt_op_desc_t *op)
{
    return trt_check_add(m, op);
}

void trt_run_sub_ref(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_ctx_t ctx = trt_ctx(m, op);
    trt_dims_t in1_dims = trt_dims_of(trt_input_desc(m, op, 0));
    trt_dims_t in2_dims = trt_dims_of(trt_input_desc(m, op, 1));
    trt_dims_t out_dims = trt_dims_of(trt_output_desc(m, op, 0));
    trt_sub_s8(&ctx, (const trt_add_params_t *)trt_params(m, op), &in1_dims, (const int8_t *)trt_input_data(m, op, 0),
               &in2_dims, (const int8_t *)trt_input_data(m, op, 1), &out_dims, (int8_t *)trt_output_data(m, op, 0));
}

/* The reference kernels are alias-safe for in place (kernels.h). */
void trt_run_add_ref_inplace(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_run_add_ref(m, op);
}

void trt_run_sub_ref_inplace(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_run_sub_ref(m, op);
}

#ifdef TRT_BUILD_KERNELS_ARM_DSP
void trt_run_add_dsp(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_ctx_t ctx = trt_ctx(m, op);
    trt_dims_t dims = trt_dims_of(trt_output_desc(m, op, 0));
    trt_add_s8_dsp(&ctx, (const trt_add_params_t *)trt_params(m, op), &dims, (const int8_t *)trt_input_data(m, op, 0),
                   (const int8_t *)trt_input_data(m, op, 1), (int8_t *)trt_output_data(m, op, 0));
}

void trt_run_sub_dsp(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_ctx_t ctx = trt_ctx(m, op);
    trt_dims_t dims = trt_dims_of(trt_output_desc(m, op, 0));
    trt_sub_s8_dsp(&ctx, (const trt_add_params_t *)trt_params(m, op), &dims, (const int8_t *)trt_input_data(m, op, 0),
                   (const int8_t *)trt_input_data(m, op, 1), (int8_t *)trt_output_data(m, op, 0));
}

/* The kernels read each element before writing it (kernels.h). */
void trt_run_add_dsp_inplace(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_run_add_dsp(m, op);
}

void trt_run_sub_dsp_inplace(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_run_sub_dsp(m, op);
}
#endif
