/*
 * AVERAGE_POOL_2D, int8, a multiple of 4 channels, windows of at most
 * TRT_AVGPOOL_DSP_MAX_WINDOW pixels: four channels per pass, each tap one load and two SXTAB16 into
 * halfword sums (at most 255 * 128 = 32,640 in magnitude: no lane
 * overflows), then TFLM's rounded division per channel.
 */
#include "dsp.h"

/* TFLM's round half away from zero of sum / count, then the clamp. Out of
 * line: four copies of the division would cost more flash than the calls
 * cost time (one call per output). */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static int8_t average(int32_t sum, int32_t count, const trt_pool_params_t *p)
{
    int32_t v = sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
    v = v < p->act_min ? p->act_min : v;
    v = v > p->act_max ? p->act_max : v;
    return (int8_t)v;
}

void trt_avgpool_s8_dsp(const trt_pool_params_t *params, const trt_dims_t *input_dims, const int8_t *input,
                        const trt_dims_t *output_dims, int8_t *output)
{
    const trt_pool_params_t p = *params;
    const int32_t in_h = input_dims->h, in_w = input_dims->w, chans = input_dims->c;
    const int32_t groups = chans >> 2;
    int32_t b, oy, ox, g, y, x;

    for (b = 0; b < output_dims->n; b++)
    {
        const int8_t *image = input + b * in_h * in_w * chans;
        for (oy = 0; oy < output_dims->h; oy++)
        {
            /* Only the part of the window inside the image counts. */
            const int32_t y0 = oy * p.stride_h - p.pad_top;
            const int32_t y_start = y0 < 0 ? 0 : y0;
            const int32_t y_end = y0 + p.filter_h < in_h ? y0 + p.filter_h : in_h;
            for (ox = 0; ox < output_dims->w; ox++)
            {
                const int32_t x0 = ox * p.stride_w - p.pad_left;
                const int32_t x_start = x0 < 0 ? 0 : x0;
                const int32_t x_end = x0 + p.filter_w < in_w ? x0 + p.filter_w : in_w;
                const int32_t count = (y_end - y_start) * (x_end - x_start);
                const int8_t *corner = image + (y_start * in_w + x_start) * chans;
                for (g = 0; g < groups; g++)
                {
                    int32_t even = 0, odd = 0; /* lanes (c, c + 2) and (c + 1, c + 3) */
                    for (y = y_start; y < y_end; y++)
                    {
                        const int8_t *px = corner + (y - y_start) * in_w * chans + 4 * g;
                        for (x = x_start; x < x_end; x++)
                        {
                            const int32_t v = trt_read32(px);
                            even = trt_sxtab16(even, v);
                            odd = trt_sxtab16_ror8(odd, v);
                            px += chans;
                        }
                    }
                    output[0] = average((int16_t)even, count, &p);
                    output[1] = average((int16_t)odd, count, &p);
                    output[2] = average(even >> 16, count, &p);
                    output[3] = average(odd >> 16, count, &p);
                    output += 4;
                }
            }
        }
    }
}
