/*
 * PRELU, int8, alpha broadcast: TFLM reference_ops::BroadcastPrelu4DSlow
 * (two requantizations: the identity one for x >= 0, the one through alpha
 * for x < 0).
 */
#include "ref_internal.h"

static void prelu_row(const void *params, const int8_t *x1, int32_t step1, const int8_t *x2, int32_t step2,
                      int8_t *out, int32_t count)
{
    const trt_prelu_params_t p = *(const trt_prelu_params_t *)params;
    int32_t i;

    for (i = 0; i < count; i++)
    {
        const int32_t x = x1[i * step1] + p.input_offset;
        int32_t y;
        if (x >= 0)
        {
            y = trt_mul_by_quantized_multiplier(x, p.output_multiplier_1, p.output_shift_1);
        }
        else
        {
            /* |x| <= 255 and |alpha| <= 255: the product fits int32. */
            const int32_t a = x2[i * step2] + p.alpha_offset;
            y = trt_mul_by_quantized_multiplier(x * a, p.output_multiplier_2, p.output_shift_2);
        }
        y = trt_wrap_add_s32(y, p.output_offset);
        y = y < -128 ? -128 : y;
        y = y > 127 ? 127 : y;
        out[i] = (int8_t)y;
    }
}

void trt_prelu_s8(const trt_ctx_t *ctx, const trt_prelu_params_t *params, const trt_dims_t *input_dims,
                  const int8_t *input, const trt_dims_t *alpha_dims, const int8_t *alpha,
                  const trt_dims_t *output_dims, int8_t *output)
{
    (void)ctx;
    trt_ref_broadcast(prelu_row, params, input_dims, input, alpha_dims, alpha, output_dims, output);
}
