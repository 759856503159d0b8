/*
 * MEAN, int8: TFLM reference_ops::QuantizedMeanOrSum (compute_sum false).
 * No scratch: each output element sums its reduced elements directly.
 */
#include "ref_internal.h"

void trt_mean_s8(const trt_ctx_t *ctx, const trt_mean_params_t *params, const trt_dims_t *input_dims,
                 const int8_t *input, int8_t *output)
{
    const trt_mean_params_t p = *params;
    const int32_t dims[4] = {input_dims->n, input_dims->h, input_dims->w, input_dims->c};
    int32_t stride[4];
    int32_t outer[4], inner[4];
    int32_t a0, a1, a2, a3, r0, r1, r2, r3;
    int32_t k;
    int8_t *out = output;

    (void)ctx;
    stride[3] = 1;
    for (k = 2; k >= 0; k--)
    {
        stride[k] = stride[k + 1] * dims[k + 1];
    }
    for (k = 0; k < 4; k++)
    {
        const int reduced = (p.axes >> k) & 1;
        outer[k] = reduced ? 1 : dims[k];
        inner[k] = reduced ? dims[k] : 1;
    }
    for (a0 = 0; a0 < outer[0]; a0++)
        for (a1 = 0; a1 < outer[1]; a1++)
            for (a2 = 0; a2 < outer[2]; a2++)
                for (a3 = 0; a3 < outer[3]; a3++)
                {
                    const int8_t *base = input + a0 * stride[0] + a1 * stride[1] + a2 * stride[2] + a3;
                    /* |x + input_offset| <= 255 and at most TRT_MAX_MEAN_COUNT
                     * terms: the sum stays inside int32. */
                    int32_t acc = 0;
                    int32_t v;
                    for (r0 = 0; r0 < inner[0]; r0++)
                        for (r1 = 0; r1 < inner[1]; r1++)
                            for (r2 = 0; r2 < inner[2]; r2++)
                            {
                                const int8_t *row = base + r0 * stride[0] + r1 * stride[1] + r2 * stride[2];
                                for (r3 = 0; r3 < inner[3]; r3++)
                                {
                                    acc += row[r3] + p.input_offset;
                                }
                            }
                    v = trt_mul_by_quantized_multiplier(acc, p.multiplier, p.shift);
                    v = trt_wrap_add_s32(v, p.output_offset);
                    v = v < -128 ? -128 : v;
                    v = v > 127 ? 127 : v;
                    *out++ = (int8_t)v;
                }
}
