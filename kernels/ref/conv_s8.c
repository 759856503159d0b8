/*
 * CONV_2D, int8: TFLM reference_integer_ops::ConvPerChannel.
 */
#include "ref_internal.h"

void trt_conv_s8(const trt_ctx_t *ctx, const trt_conv_params_t *params, const trt_requant_t *quant,
                 const trt_dims_t *input_dims, const int8_t *input, const trt_dims_t *filter_dims,
                 const int8_t *filter, const trt_dims_t *bias_dims, const int32_t *bias,
                 const trt_dims_t *output_dims, int8_t *output)
{
    const int32_t out_c = output_dims->c;
    int32_t b, oy, ox;

    (void)ctx;
    (void)bias_dims;

    for (b = 0; b < output_dims->n; b++)
    {
        for (oy = 0; oy < output_dims->h; oy++)
        {
            for (ox = 0; ox < output_dims->w; ox++)
            {
                trt_ref_conv_pixel(params, quant, input_dims, input, filter_dims, filter, bias, out_c, b, oy, ox,
                                   output + ((b * output_dims->h + oy) * output_dims->w + ox) * out_c);
            }
        }
    }
}
