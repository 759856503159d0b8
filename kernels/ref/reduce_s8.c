/*
 * Reductions over any set of axes, int8: MEAN and SUM (TFLM
 * reference_ops::QuantizedMeanOrSum, compute_sum false and true: one
 * arithmetic, the 1/n folded offline into MEAN's multiplier only),
 * REDUCE_MAX and REDUCE_MIN (reference_ops::ReduceGeneric on the raw int8
 * values, input and output quantized alike). No scratch: each output element
 * walks its reduced elements directly.
 */
#include "ref_internal.h"

enum
{
    REDUCE_SUM,
    REDUCE_MAX,
    REDUCE_MIN
};

/* One walk for every reduction: `mode` is constant per call, so the branch in
 * the inner loop is predictable (and unswitched by optimizing compilers). */
static void reduce_s8(int mode, const trt_mean_params_t *params, int32_t axes, const trt_dims_t *input_dims,
                      const int8_t *input, int8_t *output)
{
    const int32_t dims[4] = {input_dims->n, input_dims->h, input_dims->w, input_dims->c};
    const int32_t input_offset = params != NULL ? params->input_offset : 0;
    int32_t stride[4];
    int32_t outer[4], inner[4];
    int32_t a0, a1, a2, a3, r0, r1, r2, r3;
    int32_t k;
    int8_t *out = output;

    stride[3] = 1;
    for (k = 2; k >= 0; k--)
    {
        stride[k] = stride[k + 1] * dims[k + 1];
    }
    for (k = 0; k < 4; k++)
    {
        const int reduced = (axes >> k) & 1;
        outer[k] = reduced ? 1 : dims[k];
        inner[k] = reduced ? dims[k] : 1;
    }
    for (a0 = 0; a0 < outer[0]; a0++)
        for (a1 = 0; a1 < outer[1]; a1++)
            for (a2 = 0; a2 < outer[2]; a2++)
                for (a3 = 0; a3 < outer[3]; a3++)
                {
                    const int8_t *base = input + a0 * stride[0] + a1 * stride[1] + a2 * stride[2] + a3;
                    /* Sum: |x + input_offset| <= 255 and at most
                     * TRT_MAX_MEAN_COUNT terms, so it stays inside int32. */
                    int32_t acc = mode == REDUCE_SUM ? 0 : base[0];
                    int32_t v;
                    for (r0 = 0; r0 < inner[0]; r0++)
                        for (r1 = 0; r1 < inner[1]; r1++)
                            for (r2 = 0; r2 < inner[2]; r2++)
                            {
                                const int8_t *row = base + r0 * stride[0] + r1 * stride[1] + r2 * stride[2];
                                for (r3 = 0; r3 < inner[3]; r3++)
                                {
                                    v = row[r3];
                                    if (mode == REDUCE_SUM)
                                    {
                                        acc += v + input_offset;
                                    }
                                    else if (mode == REDUCE_MAX ? v > acc : v < acc)
                                    {
                                        acc = v;
                                    }
                                }
                            }
                    if (mode == REDUCE_SUM)
                    {
                        acc = trt_mul_by_quantized_multiplier(acc, params->multiplier, params->shift);
                        acc = trt_wrap_add_s32(acc, params->output_offset);
                        acc = acc < -128 ? -128 : acc;
                        acc = acc > 127 ? 127 : acc;
                    }
                    *out++ = (int8_t)acc;
                }
}

void trt_mean_s8(const trt_ctx_t *ctx, const trt_mean_params_t *params, const trt_dims_t *input_dims,
                 const int8_t *input, int8_t *output)
{
    (void)ctx;
    reduce_s8(REDUCE_SUM, params, params->axes, input_dims, input, output);
}

void trt_reduce_max_s8(const trt_ctx_t *ctx, const trt_reduce_params_t *params, const trt_dims_t *input_dims,
                       const int8_t *input, int8_t *output)
{
    (void)ctx;
    reduce_s8(REDUCE_MAX, NULL, params->axes, input_dims, input, output);
}

void trt_reduce_min_s8(const trt_ctx_t *ctx, const trt_reduce_params_t *params, const trt_dims_t *input_dims,
                       const int8_t *input, int8_t *output)
{
    (void)ctx;
    reduce_s8(REDUCE_MIN, NULL, params->axes, input_dims, input, output);
}
