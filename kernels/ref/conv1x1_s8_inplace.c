/*
 * CONV_2D, int8, 1x1 filter, stride 1, no padding, Cout <= Cin: output over
 * the input.
 *
 * Pixel by pixel in memory order: output pixel p reads input pixel p only,
 * is computed into Cout bytes of scratch, then stored at p * Cout. Since
 * Cout <= Cin that store ends at (p + 1) * Cout <= (p + 1) * Cin, inside
 * input pixels <= p, all already consumed; pixel p + 1 onwards is untouched.
 * Each pixel is trt_conv_s8 on a 1x1 image, so the results are identical by
 * construction; the call costs a few dozen instructions against Cin * Cout
 * multiply-accumulates.
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
    const int32_t pixels = output_dims->n * output_dims->h * output_dims->w;
    const int32_t in_c = input_dims->c;
    const int32_t out_c = output_dims->c;
    int8_t *pixel = (int8_t *)ctx->buf;
    trt_dims_t in_px = {1, 1, 1, 0};
    trt_dims_t out_px = {1, 1, 1, 0};
    int32_t p;

    in_px.c = in_c;
    out_px.c = out_c;
    for (p = 0; p < pixels; p++)
    {
        trt_conv_s8(ctx, params, quant, &in_px, data + p * in_c, filter_dims, filter, bias_dims, bias, &out_px,
                    pixel);
        memcpy(data + p * out_c, pixel, (size_t)out_c);
    }
}
