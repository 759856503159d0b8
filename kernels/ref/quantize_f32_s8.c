/*
 * QUANTIZE float32 -> int8: TFLM reference_ops::AffineQuantize,
 * q = (int32)round(x / scale) + zero_point, saturated to int8, with the
 * division in float and std::round semantics (half away from zero).
 */
#include <string.h>

#include "tinyrt/kernels.h"

/* round(v) as an integer for v in [-2^31, 2^31): C's conversion truncates, so
 * add the half that rounding away from zero wants. */
static int32_t round_half_away(float v)
{
    int32_t i = (int32_t)v;
    /* Exact: the fraction of a float is representable (0 once |v| >= 2^23). */
    const float frac = v - (float)i;
    if (frac >= 0.5f)
    {
        i++;
    }
    else if (frac <= -0.5f)
    {
        i--;
    }
    return i;
}

void trt_quantize_f32_s8(const trt_ctx_t *ctx, const trt_quantize_params_t *params, int32_t size,
                         const float *input, int8_t *output)
{
    float scale;
    int32_t i;

    (void)ctx;

    memcpy(&scale, &params->scale_bits, sizeof(scale));
    for (i = 0; i < size; i++)
    {
        const float v = input[i] / scale;
        int64_t q;
        /* Converting a float outside int32 is UB (TFLM's too); saturate
         * first. NaN fails both tests and lands on the low end. */
        if (v >= 2147483648.0f)
        {
            q = INT32_MAX;
        }
        else if (v >= -2147483648.0f)
        {
            q = round_half_away(v);
        }
        else
        {
            q = INT32_MIN;
        }
        q += params->zero_point;
        q = q < -128 ? -128 : q;
        q = q > 127 ? 127 : q;
        output[i] = (int8_t)q;
    }
}
