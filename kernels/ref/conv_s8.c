/*
 * CONV_2D, int8: TFLM reference_integer_ops::ConvPerChannel.
 */
#include "ref_internal.h"

void trt_conv_s8(const trt_ctx_t *ctx, const trt_conv_params_t *params, const trt_requant_t *quant,
                 const trt_dims_t *input_dims, const int8_t *input, const trt_dims_t *filter_dims,
                 const int8_t *filter, const trt_dims_t *bias_dims, const int32_t *bias,
                 const trt_dims_t *output_dims, int8_t *output)
{
    const int32_t in_h = input_dims->h;
    const int32_t in_w = input_dims->w;
    const int32_t in_c = input_dims->c;
    const int32_t k_h = filter_dims->h;
    const int32_t k_w = filter_dims->w;
    /* A filter shallower than the input is a grouped convolution, as in
     * TFLM: output channel oc reads input channels of group oc / per_group. */
    const int32_t k_c = filter_dims->c;
    const int32_t out_c = output_dims->c;
    const int32_t per_group = out_c / (in_c / k_c);
    int32_t b, oy, ox, oc, ky, kx, ic;

    (void)ctx;
    (void)bias_dims;

    for (b = 0; b < output_dims->n; b++)
    {
        for (oy = 0; oy < output_dims->h; oy++)
        {
            const int32_t in_y0 = oy * params->stride_h - params->pad_top;
            for (ox = 0; ox < output_dims->w; ox++)
            {
                const int32_t in_x0 = ox * params->stride_w - params->pad_left;
                for (oc = 0; oc < out_c; oc++)
                {
                    const int32_t group_c0 = (oc / per_group) * k_c;
                    /* uint32 arithmetic is TFLM's int32 accumulation modulo
                     * 2^32: the same bits, without UB if it ever wraps. */
                    uint32_t acc = 0;
                    for (ky = 0; ky < k_h; ky++)
                    {
                        const int32_t in_y = in_y0 + ky * params->dilation_h;
                        if (in_y < 0 || in_y >= in_h)
                        {
                            continue; /* padding contributes nothing */
                        }
                        for (kx = 0; kx < k_w; kx++)
                        {
                            const int32_t in_x = in_x0 + kx * params->dilation_w;
                            const int8_t *in_px;
                            const int8_t *f_px;
                            if (in_x < 0 || in_x >= in_w)
                            {
                                continue;
                            }
                            in_px = input + ((b * in_h + in_y) * in_w + in_x) * in_c + group_c0;
                            f_px = filter + ((oc * k_h + ky) * k_w + kx) * k_c;
                            for (ic = 0; ic < k_c; ic++)
                            {
                                acc += (uint32_t)f_px[ic] * ((uint32_t)in_px[ic] + (uint32_t)params->input_offset);
                            }
                        }
                    }
                    if (bias != NULL)
                    {
                        acc += (uint32_t)bias[oc];
                    }
                    output[((b * output_dims->h + oy) * output_dims->w + ox) * out_c + oc] =
                        trt_ref_requantize(acc, quant, oc, params->output_offset, params->act_min, params->act_max);
                }
            }
        }
    }
}
