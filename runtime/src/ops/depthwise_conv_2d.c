/* DEPTHWISE_CONV_2D: reference, and in place for depth multiplier 1
 * (trt_dwconv_s8_inplace); DSP (generic and 3x3, out of place and in place)
 * where the build has kernels/arm_dsp. */
#include "conv.h"

/* The in-place variants: the output replaces the input channel by channel,
 * from the same start, through `scratch` bytes. */
static int inplace_ok(const trt_model_t *m, const trt_op_desc_t *op, int64_t scratch)
{
    const trt_conv_params_t *p = (const trt_conv_params_t *)trt_params(m, op);
    trt_dims_t di = trt_dims_of(trt_input_desc(m, op, 0));
    trt_dims_t dout = trt_dims_of(trt_output_desc(m, op, 0));
    return p->depth_multiplier == 1 && (int64_t)dout.h * dout.w <= (int64_t)di.h * di.w &&
           trt_check_inplace(m, op, scratch);
}

#ifdef TRT_BUILD_KERNELS_ARM_DSP
/* The DSP variants: the kernel's own predicate, the folded bias, the short
 * requantization exact. */
static int dsp_ok(const trt_model_t *m, const trt_op_desc_t *op, int three, int inplace)
{
    const trt_conv_params_t *p = (const trt_conv_params_t *)trt_params(m, op);
    trt_dims_t di = trt_dims_of(trt_input_desc(m, op, 0));
    trt_dims_t df = trt_dims_of(trt_input_desc(m, op, 1));
    trt_dims_t dout = trt_dims_of(trt_output_desc(m, op, 0));
    int takes = three ? trt_dwconv_s8_dsp_3x3_takes(p, &di, &df, &dout) : trt_dwconv_s8_dsp_takes(p, &di, &df, &dout);
    return takes && trt_input_id(m, op, 2) != -1 &&
           (!inplace || inplace_ok(m, op, trt_dwconv_s8_dsp_inplace_scratch_size(&dout)));
}
#endif

trt_status_t trt_check_depthwise_conv_2d(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_status_t st = trt_check_conv(m, op, 1);
    trt_dims_t dout;
    int ok;

    if (st != TRT_OK)
    {
        return st;
    }
    switch (op->variant)
    {
    case TRT_VARIANT_REF_INPLACE:
        dout = trt_dims_of(trt_output_desc(m, op, 0));
        ok = inplace_ok(m, op, trt_dwconv_s8_inplace_scratch_size(&dout));
        break;
#ifdef TRT_BUILD_KERNELS_ARM_DSP
    case TRT_VARIANT_DSP:
    case TRT_VARIANT_DSP_INPLACE:
    case TRT_VARIANT_DSP_3X3:
    case TRT_VARIANT_DSP_3X3_INPLACE:
        ok = dsp_ok(m, op, op->variant == TRT_VARIANT_DSP_3X3 || op->variant == TRT_VARIANT_DSP_3X3_INPLACE,
                    op->variant == TRT_VARIANT_DSP_INPLACE || op->variant == TRT_VARIANT_DSP_3X3_INPLACE);
        break;
#endif
    default:
        /* The loader admits only the variants this build links. */
        ok = 1;
        break;
    }
    return ok ? TRT_OK : TRT_ERR_OP_PARAMS;
}

void trt_run_depthwise_conv_2d_ref(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_conv_args_t a = trt_conv_args(m, op);
    trt_dwconv_s8(&a.ctx, a.params, &a.q, &a.in_dims, a.in, &a.f_dims, a.filter, &a.b_dims, a.bias, &a.out_dims,
                  a.out);
}

void trt_run_depthwise_conv_2d_ref_inplace(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_conv_args_t a = trt_conv_args(m, op);
    trt_dwconv_s8_inplace(&a.ctx, a.params, &a.q, &a.in_dims, &a.f_dims, a.filter, &a.b_dims, a.bias, &a.out_dims,
                          a.out);
}

#ifdef TRT_BUILD_KERNELS_ARM_DSP
void trt_run_depthwise_conv_2d_dsp(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_conv_args_t a = trt_conv_args(m, op);
    trt_dwconv_s8_dsp(&a.ctx, a.params, &a.q, &a.in_dims, a.in, &a.f_dims, a.filter, &a.b_dims, a.bias, &a.out_dims,
                      a.out);
}

void trt_run_depthwise_conv_2d_dsp_inplace(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_conv_args_t a = trt_conv_args(m, op);
    trt_dwconv_s8_dsp_inplace(&a.ctx, a.params, &a.q, &a.in_dims, &a.f_dims, a.filter, &a.b_dims, a.bias,
                              &a.out_dims, a.out);
}

void trt_run_depthwise_conv_2d_dsp_3x3(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_conv_args_t a = trt_conv_args(m, op);
    trt_dwconv_s8_dsp_3x3(&a.ctx, a.params, &a.q, &a.in_dims, a.in, &a.f_dims, a.filter, &a.b_dims, a.bias,
                          &a.out_dims, a.out);
}

void trt_run_depthwise_conv_2d_dsp_3x3_inplace(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_conv_args_t a = trt_conv_args(m, op);
    trt_dwconv_s8_dsp_3x3_inplace(&a.ctx, a.params, &a.q, &a.in_dims, &a.f_dims, a.filter, &a.b_dims, a.bias,
                                  &a.out_dims, a.out);
}
#endif
