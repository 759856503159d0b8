/*
 * DEPTHWISE_CONV_2D, int8, DSP, 3x3 filters (any stride, dilation, padding
 * and depth multiplier): the generic kernel with the window of a pixel
 * inside the image unrolled (dwconv_s8_dsp.h).
 */
#include "dwconv_s8_dsp.h"

int trt_dwconv_s8_dsp_3x3_takes(const trt_conv_params_t *params, const trt_dims_t *input_dims,
                                const trt_dims_t *filter_dims, const trt_dims_t *output_dims)
{
    return trt_dwconv_s8_dsp_takes(params, input_dims, filter_dims, output_dims) && filter_dims->h == 3 &&
           filter_dims->w == 3;
}

void trt_dwconv_s8_dsp_3x3(const trt_ctx_t *ctx, const trt_conv_params_t *params, const trt_requant_t *quant,
                           const trt_dims_t *input_dims, const int8_t *input, const trt_dims_t *filter_dims,
                           const int8_t *filter, const trt_dims_t *bias_dims, const int32_t *bias,
                           const trt_dims_t *output_dims, int8_t *output)
{
    (void)bias_dims;
    trt_dw_run(ctx, params, quant, input_dims, input, filter_dims, filter, bias, output_dims, output, 0, 1);
}

void trt_dwconv_s8_dsp_3x3_inplace(const trt_ctx_t *ctx, const trt_conv_params_t *params,
                                   const trt_requant_t *quant, const trt_dims_t *input_dims,
                                   const trt_dims_t *filter_dims, const int8_t *filter, const trt_dims_t *bias_dims,
                                   const int32_t *bias, const trt_dims_t *output_dims, int8_t *data)
{
    (void)bias_dims;
    trt_dw_run(ctx, params, quant, input_dims, data, filter_dims, filter, bias, output_dims, data, 1, 1);
}
