/* CONV_2D: reference, and in place for 1x1 filters (trt_conv1x1_s8_inplace);
 * arm_dsp (trt_conv_s8_dsp), out of place and in place. */
#include "conv.h"

/* Output pixel p reads input pixel p alone and lands no further than it
 * (Cout <= Cin): the shapes an in-place variant takes. */
static int pointwise_shrinks(const trt_conv_params_t *p, const trt_dims_t *di, const trt_dims_t *df,
                             const trt_dims_t *dout)
{
    return df->h == 1 && df->w == 1 && p->stride_h == 1 && p->stride_w == 1 && p->dilation_h == 1 &&
           p->dilation_w == 1 && p->pad_top == 0 && p->pad_left == 0 && dout->h == di->h && dout->w == di->w &&
           dout->c <= di->c;
}

trt_status_t trt_check_conv_2d(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_conv_params_t *p = (const trt_conv_params_t *)trt_params(m, op);
    trt_status_t st = trt_check_conv(m, op, 0);
    trt_dims_t di, df, dout;

    if (st != TRT_OK || op->variant == TRT_VARIANT_REF)
    {
        return st;
    }
    di = trt_dims_of(trt_input_desc(m, op, 0));
    df = trt_dims_of(trt_input_desc(m, op, 1));
    dout = trt_dims_of(trt_output_desc(m, op, 0));
    switch (op->variant)
    {
    case TRT_VARIANT_REF_INPLACE:
        return pointwise_shrinks(p, &di, &df, &dout) &&
                       trt_check_inplace(m, op, trt_conv1x1_s8_inplace_scratch_size(&dout))
                   ? TRT_OK
                   : TRT_ERR_OP_PARAMS;
#ifdef TRT_BUILD_KERNELS_ARM_DSP
    /* The kernel reads its scratch as words. */
    case TRT_VARIANT_DSP:
        return (int64_t)op->scratch_bytes >= trt_conv_s8_dsp_scratch_size(p, &df) && op->scratch_off % 4 == 0
                   ? TRT_OK
                   : TRT_ERR_OP_PARAMS;
    case TRT_VARIANT_DSP_INPLACE:
        return pointwise_shrinks(p, &di, &df, &dout) && op->scratch_off % 4 == 0 &&
                       trt_check_inplace(m, op, trt_conv_s8_dsp_scratch_size(p, &df))
                   ? TRT_OK
                   : TRT_ERR_OP_PARAMS;
#endif
    default:
        return TRT_ERR_OP_PARAMS;
    }
}

void trt_run_conv_2d_ref(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_conv_args_t a = trt_conv_args(m, op);
    trt_conv_s8(&a.ctx, a.params, &a.q, &a.in_dims, a.in, &a.f_dims, a.filter, &a.b_dims, a.bias, &a.out_dims,
                a.out);
}

void trt_run_conv_2d_ref_inplace(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_conv_args_t a = trt_conv_args(m, op);
    trt_conv1x1_s8_inplace(&a.ctx, a.params, &a.q, &a.in_dims, &a.f_dims, a.filter, &a.b_dims, a.bias, &a.out_dims,
                           a.out);
}

#ifdef TRT_BUILD_KERNELS_ARM_DSP
/* One kernel for both: in place is output == input. */
void trt_run_conv_2d_dsp(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_conv_args_t a = trt_conv_args(m, op);
    trt_conv_s8_dsp(&a.ctx, a.params, &a.q, &a.in_dims, a.in, &a.f_dims, a.filter, &a.b_dims, a.bias, &a.out_dims,
                    a.out);
}

void trt_run_conv_2d_dsp_inplace(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_run_conv_2d_dsp(m, op);
}
#endif
