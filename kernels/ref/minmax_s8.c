/*
 * MAXIMUM and MINIMUM, int8, with broadcast: TFLM maximum_minimum.cc
 * (TFLiteOperation / MaximumMinimumBroadcastSlow): std::max or std::min of
 * the raw int8 values, whatever their quantization.
 */
#include "ref_internal.h"

static void maximum_row(const void *params, const int8_t *x1, int32_t step1, const int8_t *x2, int32_t step2,
                        int8_t *out, int32_t count)
{
    int32_t i;

    (void)params;
    for (i = 0; i < count; i++)
    {
        const int8_t a = x1[i * step1];
        const int8_t b = x2[i * step2];
        out[i] = a > b ? a : b;
    }
}

static void minimum_row(const void *params, const int8_t *x1, int32_t step1, const int8_t *x2, int32_t step2,
                        int8_t *out, int32_t count)
{
    int32_t i;

    (void)params;
    for (i = 0; i < count; i++)
    {
        const int8_t a = x1[i * step1];
        const int8_t b = x2[i * step2];
        out[i] = a < b ? a : b;
    }
}

void trt_maximum_s8(const trt_ctx_t *ctx, const trt_dims_t *input1_dims, const int8_t *input1,
                    const trt_dims_t *input2_dims, const int8_t *input2, const trt_dims_t *output_dims,
                    int8_t *output)
{
    (void)ctx;
    trt_ref_broadcast(maximum_row, NULL, input1_dims, input1, input2_dims, input2, output_dims, output);
}

void trt_minimum_s8(const trt_ctx_t *ctx, const trt_dims_t *input1_dims, const int8_t *input1,
                    const trt_dims_t *input2_dims, const int8_t *input2, const trt_dims_t *output_dims,
                    int8_t *output)
{
    (void)ctx;
    trt_ref_broadcast(minimum_row, NULL, input1_dims, input1, input2_dims, input2, output_dims, output);
}
