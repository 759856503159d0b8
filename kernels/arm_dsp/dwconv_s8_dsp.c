/*
 * DEPTHWISE_CONV_2D, int8, DSP: any filter size, stride, dilation, padding
 * and depth multiplier, four input channels at once (dwconv_s8_dsp.h).
 */
#include "dwconv_s8_dsp.h"

int trt_dwconv_s8_dsp_takes(const trt_conv_params_t *params, const trt_dims_t *input_dims,
                            const trt_dims_t *filter_dims, const trt_dims_t *output_dims)
{
    (void)params;
    (void)filter_dims;
    (void)output_dims;
    /* The last group reads a pixel's last four channels. */
    return input_dims->c >= 4;
}

int32_t trt_dwconv_s8_dsp_inplace_scratch_size(const trt_dims_t *output_dims)
{
    return 4 * output_dims->h * output_dims->w;
}

void trt_dwconv_s8_dsp(const trt_ctx_t *ctx, const trt_conv_params_t *params, const trt_requant_t *quant,
                       const trt_dims_t *input_dims, const int8_t *input, const trt_dims_t *filter_dims,
                       const int8_t *filter, const trt_dims_t *bias_dims, const int32_t *bias,
                       const trt_dims_t *output_dims, int8_t *output)
{
    (void)bias_dims;
    trt_dw_run(ctx, params, quant, input_dims, input, filter_dims, filter, bias, output_dims, output, 0, 0);
}

void trt_dwconv_s8_dsp_inplace(const trt_ctx_t *ctx, const trt_conv_params_t *params, const trt_requant_t *quant,
                               const trt_dims_t *input_dims, const trt_dims_t *filter_dims, const int8_t *filter,
                               const trt_dims_t *bias_dims, const int32_t *bias, const trt_dims_t *output_dims,
                               int8_t *data)
{
    (void)bias_dims;
    trt_dw_run(ctx, params, quant, input_dims, data, filter_dims, filter, bias, output_dims, data, 1, 0);
}
