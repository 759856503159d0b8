/*
 * DEPTHWISE_CONV_2D, int8, depth multiplier 1, output over the input.
 *
 * Channel by channel, batch by batch: the whole output plane of (b, c) is
 * computed into scratch, then scattered to channel c of output pixels
 * b * out_h * out_w + p. Since out_h * out_w <= in_h * in_w those slots are
 * channel-c slots of input pixels of batches <= b, all already consumed; the
 * other channels' slots are never touched. The arithmetic is trt_dwconv_s8's,
 * so the results are identical.
 */
#include "ref_internal.h"

int32_t trt_dwconv_s8_inplace_scratch_size(const trt_dims_t *output_dims)
{
    return output_dims->h * output_dims->w;
}

void trt_dwconv_s8_inplace(const trt_ctx_t *ctx, const trt_conv_params_t *params, const trt_requant_t *quant,
                           const trt_dims_t *input_dims, const trt_dims_t *filter_dims, const int8_t *filter,
                           const trt_dims_t *bias_dims, const int32_t *bias, const trt_dims_t *output_dims,
                           int8_t *data)
{
    const int32_t out_plane = output_dims->h * output_dims->w;
    int8_t *plane = (int8_t *)ctx->buf;
    int32_t c, b, oy, ox, p;

    (void)bias_dims;

    for (c = 0; c < input_dims->c; c++)
    {
        for (b = 0; b < output_dims->n; b++)
        {
            for (oy = 0; oy < output_dims->h; oy++)
            {
                for (ox = 0; ox < output_dims->w; ox++)
                {
                    const uint32_t acc =
                        trt_ref_dw_acc(params, input_dims, data, filter_dims, filter, bias, b, oy, ox, c, c);
                    plane[oy * output_dims->w + ox] =
                        trt_ref_requantize(acc, quant, c, params->output_offset, params->act_min, params->act_max);
                }
            }
            for (p = 0; p < out_plane; p++)
            {
                data[(b * out_plane + p) * input_dims->c + c] = plane[p];
            }
        }
    }
}
