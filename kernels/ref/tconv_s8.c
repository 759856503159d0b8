/*
 * TRANSPOSE_CONV, int8: TFLM reference_integer_ops::TransposeConv. The
 * products are scattered into an int32 sum per output element (scratch),
 * then each sum gets the bias and is requantized. TFLM loops input pixel,
 * input channel, tap, output channel; here the input channels are the
 * innermost loop (a dot product per tap and output channel). The sums are
 * the same: int32 addition, carried as uint32 so that it wraps without UB,
 * is associative.
 */
#include <string.h>

#include "ref_internal.h"

int32_t trt_tconv_s8_scratch_size(const trt_dims_t *output_dims)
{
    return output_dims->n * output_dims->h * output_dims->w * output_dims->c * (int32_t)sizeof(uint32_t);
}

void trt_tconv_s8(const trt_ctx_t *ctx, const trt_tconv_params_t *params, const trt_requant_t *quant,
                  const trt_dims_t *input_dims, const int8_t *input, const trt_dims_t *filter_dims,
                  const int8_t *filter, const trt_dims_t *bias_dims, const int32_t *bias,
                  const trt_dims_t *output_dims, int8_t *output)
{
    const int32_t in_c = input_dims->c;
    const int32_t k_h = filter_dims->h;
    const int32_t k_w = filter_dims->w;
    const int32_t out_h = output_dims->h;
    const int32_t out_w = output_dims->w;
    const int32_t out_c = output_dims->c;
    const int32_t count = output_dims->n * out_h * out_w;
    uint32_t *sums = (uint32_t *)ctx->buf;
    int32_t b, iy, ix, ky, kx, oc, ic, p;

    (void)bias_dims;
    memset(sums, 0, (size_t)count * (size_t)out_c * sizeof(uint32_t));

    for (b = 0; b < input_dims->n; b++)
    {
        for (iy = 0; iy < input_dims->h; iy++)
        {
            for (ix = 0; ix < input_dims->w; ix++)
            {
                const int8_t *in_px = input + ((b * input_dims->h + iy) * input_dims->w + ix) * in_c;
                for (ky = 0; ky < k_h; ky++)
                {
                    const int32_t oy = iy * params->stride_h - params->pad_top + ky;
                    if (oy < 0 || oy >= out_h)
                    {
                        continue; /* outside the output: dropped, as in TFLM */
                    }
                    for (kx = 0; kx < k_w; kx++)
                    {
                        const int32_t ox = ix * params->stride_w - params->pad_left + kx;
                        uint32_t *out_px;
                        if (ox < 0 || ox >= out_w)
                        {
                            continue;
                        }
                        out_px = sums + ((b * out_h + oy) * out_w + ox) * out_c;
                        for (oc = 0; oc < out_c; oc++)
                        {
                            const int8_t *f_px = filter + ((oc * k_h + ky) * k_w + kx) * in_c;
                            uint32_t acc = 0;
                            for (ic = 0; ic < in_c; ic++)
                            {
                                acc += (uint32_t)f_px[ic] * ((uint32_t)in_px[ic] + (uint32_t)params->input_offset);
                            }
                            out_px[oc] += acc;
                        }
                    }
                }
            }
        }
    }

    for (p = 0; p < count; p++)
    {
        for (oc = 0; oc < out_c; oc++)
        {
            uint32_t acc = sums[p * out_c + oc];
            if (bias != NULL)
            {
                acc += (uint32_t)bias[oc];
            }
            output[p * out_c + oc] =
                trt_ref_requantize(acc, quant, oc, params->output_offset, params->act_min, params->act_max);
        }
    }
}
