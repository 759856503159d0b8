/*
 * QUANTIZE int8 -> int8 (requantize): TFLM reference_ops::Requantize.
 */
#include "tinyrt/fixedpoint.h"
#include "tinyrt/kernels.h"

void trt_requantize_s8(const trt_ctx_t *ctx, const trt_requantize_params_t *params, int32_t size,
                       const int8_t *input, int8_t *output)
{
    int32_t i;

    (void)ctx;

    for (i = 0; i < size; i++)
    {
        const int32_t x = trt_wrap_add_s32(input[i], params->input_offset);
        int32_t q = trt_mul_by_quantized_multiplier(x, params->multiplier, params->shift);
        q = trt_wrap_add_s32(q, params->output_offset);
        q = q < -128 ? -128 : q;
        q = q > 127 ? 127 : q;
        output[i] = (int8_t)q;
    }
}
