/*
 * L2_NORMALIZATION, int8: TFLM reference_integer_ops::L2Normalization with
 * GetInvSqrtQuantizedMultiplierExp (reverse_shift -1), output scale 1/128.
 */
#include "ref_internal.h"

/* 1 / sqrt(acc) as a multiplier and a (left) shift: gemmlowp fixed point,
 * five Newton-Raphson steps in Q3.28 from x = 1, exactly as TFLM. */
static void inv_sqrt(int32_t acc, int32_t *multiplier, int32_t *shift)
{
    const int32_t one_q3 = 1 << 28;
    const int32_t half_three = (1 << 28) + (1 << 27); /* 1.5 in Q3.28 */
    int32_t half_input, x, s = 11;
    int pairs, k;

    if (acc <= 1)
    {
        /* TFLM treats 0 (all values at the zero point) as 1. */
        *multiplier = INT32_MAX;
        *shift = 0;
        return;
    }
    while (acc >= (1 << 29))
    {
        acc /= 4;
        s++;
    }
    pairs = (trt_clz_u32((uint32_t)acc) - 1) / 2 - 1;
    s -= pairs;
    acc <<= 2 * pairs; /* now in [2^27, 2^29) */
    half_input = trt_rounding_divide_by_pot(acc >> 1, 1);
    x = one_q3;
    for (k = 0; k < 5; k++)
    {
        /* x^3 is Q9 after two Q3 products: back to Q3 (x 2^6). */
        const int32_t x3 = trt_sat_rounding_mul_by_pot(
            trt_sat_rounding_doubling_high_mul(trt_sat_rounding_doubling_high_mul(x, x), x), 6);
        /* Q6 difference back to Q3 (x 2^3). */
        x = trt_sat_rounding_mul_by_pot(trt_wrap_sub_s32(trt_sat_rounding_doubling_high_mul(half_three, x),
                                                         trt_sat_rounding_doubling_high_mul(half_input, x3)),
                                        3);
    }
    x = trt_sat_rounding_doubling_high_mul(x, 1518500250); /* sqrt(2) / 2 in Q0.31 */
    if (s < 0)
    {
        x = trt_wrap_shl_s32(x, -s);
        s = 0;
    }
    *multiplier = x;
    *shift = -s;
}

void trt_l2norm_s8(const trt_ctx_t *ctx, const trt_l2norm_params_t *params, int32_t outer, int32_t depth,
                   const int8_t *input, int8_t *output)
{
    const int32_t offset = params->input_offset;
    int32_t i, c;

    (void)ctx;
    for (i = 0; i < outer; i++)
    {
        const int8_t *x = input + i * depth;
        int8_t *y = output + i * depth;
        int32_t acc = 0;
        int32_t multiplier, shift;
        for (c = 0; c < depth; c++)
        {
            const int32_t v = x[c] + offset;
            acc += v * v; /* depth <= TRT_MAX_DOT_DEPTH: no wrap */
        }
        inv_sqrt(acc, &multiplier, &shift);
        for (c = 0; c < depth; c++)
        {
            int32_t v = trt_mul_by_quantized_multiplier(x[c] + offset, multiplier, shift + 7);
            v = v < -128 ? -128 : v;
            v = v > 127 ? 127 : v;
            y[c] = (int8_t)v;
        }
    }
}
