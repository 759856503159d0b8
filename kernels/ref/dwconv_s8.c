/*
 * DEPTHWISE_CONV_2D, int8: TFLM reference_integer_ops::DepthwiseConvPerChannel.
 * Output channel oc = ic * depth_multiplier + m reads input channel ic.
 */
#include "ref_internal.h"

void trt_dwconv_s8(const trt_ctx_t *ctx, const trt_conv_params_t *params, const trt_requant_t *quant,
                   const trt_dims_t *input_dims, const int8_t *input, const trt_dims_t *filter_dims,
                   const int8_t *filter, const trt_dims_t *bias_dims, const int32_t *bias,
                   const trt_dims_t *output_dims, int8_t *output)
{
    const int32_t mult = params->depth_multiplier;
    int32_t b, oy, ox, ic, m;
    int8_t *out = output;

    (void)ctx;
    (void)bias_dims;

    for (b = 0; b < output_dims->n; b++)
    {
        for (oy = 0; oy < output_dims->h; oy++)
        {
            for (ox = 0; ox < output_dims->w; ox++)
            {
                for (ic = 0; ic < input_dims->c; ic++)
                {
                    for (m = 0; m < mult; m++)
                    {
                        const int32_t oc = ic * mult + m;
                        const uint32_t acc =
                            trt_ref_dw_acc(params, input_dims, input, filter_dims, filter, bias, b, oy, ox, ic, oc);
                        *out++ = trt_ref_requantize(acc, quant, oc, params->output_offset, params->act_min,
                                                    params->act_max);
                    }
                }
            }
        }
    }
}
