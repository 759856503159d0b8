/*
 * AVERAGE_POOL_2D, int8: TFLM reference_integer_ops::AveragePool.
 */
#include "tinyrt/fixedpoint.h"
#include "tinyrt/kernels.h"

void trt_avgpool_s8(const trt_ctx_t *ctx, const trt_pool_params_t *params, const trt_dims_t *input_dims,
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
                    /* TFLM's int32 sum, modulo 2^32 without UB. */
                    uint32_t sum = 0;
                    int32_t count = 0;
                    int32_t acc = 0;
                    for (y = y_start; y < y_end; y++)
                    {
                        for (x = x_start; x < x_end; x++)
                        {
                            sum += (uint32_t)input[((b * in_h + y) * in_w + x) * chans + c];
                            count++;
                        }
                    }
                    /* TFLM fails the op for a window wholly in the padding;
                     * the loader rejects such geometry, 0 keeps it defined. */
                    if (count > 0)
                    {
                        /* Round half away from zero. */
                        acc = trt_wrap_s32(sum);
                        acc = acc > 0 ? trt_wrap_add_s32(acc, count / 2) / count
                                      : trt_wrap_sub_s32(acc, count / 2) / count;
                    }
                    acc = acc < params->act_min ? params->act_min : acc;
                    acc = acc > params->act_max ? params->act_max : acc;
                    output[((b * output_dims->h + oy) * output_dims->w + ox) * chans + c] = (int8_t)acc;
                }
            }
        }
    }
}
