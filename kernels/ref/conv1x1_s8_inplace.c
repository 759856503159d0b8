/*
 * CONV_2D, int8, 1x1 filter, stride 1, no padding, Cout <= Cin: output over
 * the input.
 *
 * Pixel by pixel in memory order: output pixel p reads input pixel p only,
 * is computed into Cout bytes of scratch, then stored at p * Cout. Since
 * Cout <= Cin that store ends at (p + 1) * Cout <= (p + 1) * Cin, inside
 * input pixels <= p, all already consumed; pixel p + 1 onwards is untouched.
 * The arithmetic is trt_conv_s8's, so the results are identical.
 */
#include <string.h>

#include "ref_internal.h"

int32_t trt_conv1x1_s8_inplace_scratch_size(const trt_dims_t *output_dims)
{
    return output_dims->c;
}

void trt_conv1x1_s8_inplace(const trt_ctx_t *ctx, const trt_conv_params_t *params, const trt_requant_t *quant,
                            const trt_dims_t *input_dims, const trt_dims_t *filter_dims, const int8_t *filter,
                            const trt_dims_t *bias_dims, const int32_t *bias, const trt_dims_t *output_dims,
                            int8_t *data)
{
    const int32_t out_c = output_dims->c;
    int8_t *pixel = (int8_t *)ctx->buf;
    int32_t b, y, x;

    (void)bias_dims;

    for (b = 0; b < output_dims->n; b++)
    {
        for (y = 0; y < output_dims->h; y++)
        {
            for (x = 0; x < output_dims->w; x++)
            {
                trt_ref_conv_pixel(params, quant, input_dims, data, filter_dims, filter, bias, out_c, b, y, x, pixel);
                memcpy(data + ((b * output_dims->h + y) * output_dims->w + x) * out_c, pixel, (size_t)out_c);
            }
        }
    }
}
