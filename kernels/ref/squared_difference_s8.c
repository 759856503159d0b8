/*
 * SQUARED_DIFFERENCE, int8, with broadcast: TFLM squared_difference.cc
 * (SquaredDifference over ElementWise / BroadcastBinaryFunction4DSlow):
 * ADD's input scaling (left shift 7), the difference squared, requantized.
 */
#include "ref_internal.h"

static void squared_difference_row(const void *params, const int8_t *x1, int32_t step1, const int8_t *x2,
                                   int32_t step2, int8_t *out, int32_t count)
{
    const trt_add_params_t p = *(const trt_add_params_t *)params;
    int32_t i;

    for (i = 0; i < count; i++)
    {
        const int32_t diff = trt_wrap_sub_s32(
            trt_ref_scaled_input(x1[i * step1], p.input1_offset, p.left_shift, p.input1_multiplier, p.input1_shift),
            trt_ref_scaled_input(x2[i * step2], p.input2_offset, p.left_shift, p.input2_multiplier, p.input2_shift));
        /* TFLM's int32 square; within int32 for the loader's parameters,
         * carried as uint32 so that a hostile blob cannot cause UB. */
        const int32_t squared = trt_wrap_s32((uint32_t)diff * (uint32_t)diff);
        int32_t y = trt_mul_by_quantized_multiplier(squared, p.output_multiplier, p.output_shift);
        y = trt_wrap_add_s32(y, p.output_offset);
        y = y < p.act_min ? p.act_min : y;
        y = y > p.act_max ? p.act_max : y;
        out[i] = (int8_t)y;
    }
}

void trt_squared_difference_s8(const trt_ctx_t *ctx, const trt_add_params_t *params, const trt_dims_t *input1_dims,
                               const int8_t *input1, const trt_dims_t *input2_dims, const int8_t *input2,
                               const trt_dims_t *output_dims, int8_t *output)
{
    (void)ctx;
    trt_ref_broadcast(squared_difference_row, params, input1_dims, input1, input2_dims, input2, output_dims, output);
}
