/*
 * DEQUANTIZE int8 -> float32: TFLM reference_ops::Dequantize.
 *
 * TFLM multiplies in double and rounds to float once. While |q - zp| < 2^24
 * (always, for an int8 zero point) the float conversion of q - zp and the
 * double product are both exact, so a single float multiply rounds the same
 * exact product the same way, without double arithmetic on the target.
 */
#include <string.h>

#include "tinyrt/fixedpoint.h"
#include "tinyrt/kernels.h"

void trt_dequantize_s8_f32(const trt_ctx_t *ctx, const trt_dequantize_params_t *params, int32_t size,
                           const int8_t *input, float *output)
{
    float scale;
    int32_t i;

    (void)ctx;

    memcpy(&scale, &params->scale_bits, sizeof(scale));
    for (i = 0; i < size; i++)
    {
        output[i] = scale * (float)trt_wrap_sub_s32(input[i], params->zero_point);
    }
}
