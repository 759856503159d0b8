/*
 * MAX_POOL_2D, int8: TFLM reference_integer_ops::MaxPool.
 */
#include "tinyrt/kernels.h"

void trt_maxpool_s8(const trt_ctx_t *ctx, const trt_pool_params_t *params, const trt_dims_t *input_dims,
                    const int8_t *input, const trt_dims_t *output_dims, int8_t *output)
{
    const int32_t in_h = input_dims->h;
    const int32_t in_w = input_dims->w;
    const int32_t chans = input_dims->c;
    int32_t b, oy, ox, c, y, x;

    (void)ctx;

    for (b = 0; b < output_dims->n; b++)
    {
        for (oy = 0; oy < output_dims->h; oy++)
        {
            /* Only the part of the window inside the image counts. */
            const int32_t y0 = oy * params->stride_h - params->pad_top;
            const int32_t y_start = y0 < 0 ? 0 : y0;
            const int32_t y_end = y0 + params->filter_h < in_h ? y0 + params->filter_h : in_h;
            for (ox = 0; ox < output_dims->w; ox++)
            {
                const int32_t x0 = ox * params->stride_w - params->pad_left;
                const int32_t x_start = x0 < 0 ? 0 : x0;
                const int32_t x_end = x0 + params->filter_w < in_w ? x0 + params->filter_w : in_w;
                for (c = 0; c < chans; c++)
                {
                    /* An empty window leaves -128, then clamped, as in TFLM. */
                    int32_t max = -128;
                    for (y = y_start; y < y_end; y++)
                    {
                        for (x = x_start; x < x_end; x++)
                        {
                            const int32_t v = input[((b * in_h + y) * in_w + x) * chans + c];
                            max = v > max ? v : max;
                        }
                    }
                    max = max < params->act_min ? params->act_min : max;
                    max = max > params->act_max ? params->act_max : max;
                    output[((b * output_dims->h + oy) * output_dims->w + ox) * chans + c] = (int8_t)max;
                }
            }
        }
    }
}
