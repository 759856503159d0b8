/*
 * SOFTMAX, int8 in and out (output scale 1/256, zero point -128): TFLM
 * reference_ops::Softmax, gemmlowp fixed point. Input differences from the
 * row maximum are scaled to Q5.26 and exponentiated to Q0.31; their sum is
 * kept in Q12.19.
 */
#include "tinyrt/fixedpoint.h"
#include "tinyrt/kernels.h"

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("Os")
#endif

#define ACCUM_INTEGER_BITS 12

/* exp(beta * (x - max)) in Q0.31 for one in-range input difference. */
static int32_t exp_of_diff(const trt_softmax_params_t *p, int32_t diff)
{
    /* TFLM's MultiplyByQuantizedMultiplierGreaterThanOne: the same as the
     * general one for the non-negative shifts the loader allows. */
    const int32_t scaled = trt_mul_by_quantized_multiplier(diff, p->input_multiplier, p->input_left_shift);
    return trt_exp_on_negative_values_q5(scaled);
}

void trt_softmax_s8(const trt_ctx_t *ctx, const trt_softmax_params_t *params, const trt_dims_t *input_dims,
                    const int8_t *input, int8_t *output)
{
    const int32_t depth = input_dims->c;
    const int32_t rows = input_dims->n * input_dims->h * input_dims->w;
    int32_t r, c;

    (void)ctx;

    for (r = 0; r < rows; r++)
    {
        const int8_t *in = input + r * depth;
        int8_t *out = output + r * depth;
        int32_t max = -128;
        int32_t sum = 0;
        int32_t reciprocal;
        int num_bits_over_unit;
        int exponent;

        for (c = 0; c < depth; c++)
        {
            max = in[c] > max ? in[c] : max;
        }
        for (c = 0; c < depth; c++)
        {
            const int32_t diff = in[c] - max;
            if (diff >= params->diff_min)
            {
                /* Q0.31 -> Q12.19, a plain (wrapping) fixed-point add. */
                sum = trt_wrap_add_s32(sum, trt_rounding_divide_by_pot(exp_of_diff(params, diff), ACCUM_INTEGER_BITS));
            }
        }

        reciprocal = trt_get_reciprocal(sum, ACCUM_INTEGER_BITS, &num_bits_over_unit);
        /* Shift the Q0.31 quotients down to the 8 output bits. TFLM aborts
         * once the exponent passes 31, i.e. once the sum reaches 512 (that
         * many inputs at the row maximum); every quotient is below 2^31, so
         * a shift of 32 or more rounds it to 0, which is what we return. A
         * negative exponent needs a sum that wrapped: meaningless, but
         * defined. */
        exponent = num_bits_over_unit + 31 - 8;
        for (c = 0; c < depth; c++)
        {
            const int32_t diff = in[c] - max;
            int32_t q = -128;
            if (diff >= params->diff_min)
            {
                const int32_t prob = trt_sat_rounding_doubling_high_mul(reciprocal, exp_of_diff(params, diff));
                q = 0;
                if (exponent <= 31)
                {
                    q = trt_rounding_divide_by_pot(prob, exponent < 0 ? 0 : exponent);
                }
                q = trt_wrap_add_s32(q, -128);
                q = q > 127 ? 127 : q;
                q = q < -128 ? -128 : q;
            }
            out[c] = (int8_t)q;
        }
    }
}
