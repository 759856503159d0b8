/*
 * tinyrt fixed-point helpers, shared by the reference and optimized kernels.
 *
 * Bit-exact with TFLM's double-rounding requantization (common.h/common.cc)
 * and the gemmlowp fixedpoint.h pieces softmax uses. Unlike those, nothing
 * here has undefined behaviour for any int32 input (model blobs may be
 * hostile): where TFLM lets int32 arithmetic wrap we wrap explicitly through
 * uint32, which gives the bits a two's complement machine gives TFLM, and
 * products are formed in int64. Results equal TFLM's wherever TFLM itself is
 * defined.
 *
 * Shift and exponent arguments must be in the ranges stated per function
 * (the loader checks them); any int32 value is fine.
 */
#ifndef TINYRT_FIXEDPOINT_H
#define TINYRT_FIXEDPOINT_H

#include <limits.h>
#include <stdint.h>

/* The helpers rely on >> of a negative value being an arithmetic shift and
 * on two's complement, as TFLM and CMSIS-NN do (implementation-defined, not
 * undefined, and true of every compiler tinyrt targets). */
#if (-1 >> 1) != -1 || (-1 & 3) != 3
#error "tinyrt needs two's complement integers with arithmetic right shift"
#endif

/* uint32 -> int32 modulo 2^32, spelled so that no conversion is
 * implementation-defined; compilers reduce it to nothing. */
static inline int32_t trt_wrap_s32(uint32_t x)
{
    if (x <= (uint32_t)INT32_MAX)
    {
        return (int32_t)x;
    }
    return (int32_t)(x - 0x80000000u) - INT32_MAX - 1;
}

/* a + b and a - b modulo 2^32: TFLM's plain int32 add where it may wrap. */
static inline int32_t trt_wrap_add_s32(int32_t a, int32_t b)
{
    return trt_wrap_s32((uint32_t)a + (uint32_t)b);
}

static inline int32_t trt_wrap_sub_s32(int32_t a, int32_t b)
{
    return trt_wrap_s32((uint32_t)a - (uint32_t)b);
}

/* x * 2^shift modulo 2^32 (TFLM's x * (1 << shift)), shift in [0, 31]. */
static inline int32_t trt_wrap_shl_s32(int32_t x, int shift)
{
    return trt_wrap_s32((uint32_t)x << shift);
}

/* gemmlowp SaturatingRoundingDoublingHighMul (ARM VQRDMULH): round(a * b /
 * 2^31), ties away from zero, saturating the single overflow INT32_MIN^2. */
static inline int32_t trt_sat_rounding_doubling_high_mul(int32_t a, int32_t b)
{
    int64_t ab;
    int64_t nudge;
    if (a == INT32_MIN && b == INT32_MIN)
    {
        return INT32_MAX;
    }
    ab = (int64_t)a * (int64_t)b;
    nudge = ab >= 0 ? ((int64_t)1 << 30) : (1 - ((int64_t)1 << 30));
    /* C99 division truncates toward zero, like the C++ TFLM builds with. */
    return (int32_t)((ab + nudge) / ((int64_t)1 << 31));
}

/* gemmlowp RoundingDivideByPOT: x / 2^exponent rounded to nearest, ties away
 * from zero; exponent in [0, 31]. */
static inline int32_t trt_rounding_divide_by_pot(int32_t x, int exponent)
{
    const int32_t mask = (int32_t)(((int64_t)1 << exponent) - 1);
    const int32_t remainder = x & mask;
    const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/* TFLM MultiplyByQuantizedMultiplier (double rounding): x * multiplier *
 * 2^shift with multiplier a Q0.31 fraction; shift in [-31, 31], > 0 is a left
 * shift applied before the multiply. */
static inline int32_t trt_mul_by_quantized_multiplier(int32_t x, int32_t multiplier, int32_t shift)
{
    const int left_shift = shift > 0 ? (int)shift : 0;
    const int right_shift = shift > 0 ? 0 : (int)-shift;
    const int32_t high = trt_sat_rounding_doubling_high_mul(trt_wrap_shl_s32(x, left_shift), multiplier);
    return trt_rounding_divide_by_pot(high, right_shift);
}

/* gemmlowp SaturatingRoundingMultiplyByPOT with a run-time exponent in
 * [-31, 31]: saturating left shift for exponent > 0, rounding right shift
 * for exponent < 0. Rescale<dst>(FixedPoint<src>) is this with exponent
 * src - dst. */
static inline int32_t trt_sat_rounding_mul_by_pot(int32_t x, int exponent)
{
    int32_t threshold;
    if (exponent < 0)
    {
        return trt_rounding_divide_by_pot(x, -exponent);
    }
    if (exponent == 0)
    {
        return x;
    }
    threshold = (int32_t)(((int64_t)1 << (31 - exponent)) - 1);
    if (x > threshold)
    {
        return INT32_MAX;
    }
    if (x < -threshold)
    {
        return INT32_MIN;
    }
    return trt_wrap_shl_s32(x, exponent);
}

/* gemmlowp RoundingHalfSum (ARM VRHADD): (a + b) / 2, ties away from zero. */
static inline int32_t trt_rounding_half_sum(int32_t a, int32_t b)
{
    const int64_t sum = (int64_t)a + (int64_t)b;
    const int64_t sign = sum >= 0 ? 1 : -1;
    return (int32_t)((sum + sign) / 2);
}

/* Leading zeros of a 32-bit value; 32 for 0 (TFLM CountLeadingZeros). */
static inline int trt_clz_u32(uint32_t x)
{
#if defined(__GNUC__) && UINT_MAX == 0xffffffffu
    return x == 0 ? 32 : __builtin_clz(x);
#else
    int n = 0;
    if (x == 0)
    {
        return 32;
    }
    while ((x & 0x80000000u) == 0)
    {
        x <<= 1;
        n++;
    }
    return n;
#endif
}

/*
 * gemmlowp fixed-point math on raw int32 values. A FixedPoint<int32, I> has
 * I integer bits and 31 - I fractional bits; multiplying two of them is
 * trt_sat_rounding_doubling_high_mul (integer bits add up), adding them is a
 * plain wrapping add.
 */

/* exp(a) for a in [-1/4, 0), a and result Q0.31 (gemmlowp
 * exp_on_interval_between_negative_one_quarter_and_0_excl). */
static inline int32_t trt_exp_on_interval_between_negative_one_quarter_and_0_excl(int32_t a)
{
    const int32_t constant_term = 1895147668;     /* exp(-1/8) */
    const int32_t constant_1_over_3 = 715827883;  /* 1/3 */
    /* Taylor expansion around -1/8: x = a + 1/8. */
    const int32_t x = trt_wrap_add_s32(a, (int32_t)1 << 28);
    const int32_t x2 = trt_sat_rounding_doubling_high_mul(x, x);
    const int32_t x3 = trt_sat_rounding_doubling_high_mul(x2, x);
    const int32_t x4 = trt_sat_rounding_doubling_high_mul(x2, x2);
    const int32_t x4_over_4 = trt_rounding_divide_by_pot(x4, 2);
    const int32_t poly = trt_rounding_divide_by_pot(
        trt_wrap_add_s32(trt_sat_rounding_doubling_high_mul(trt_wrap_add_s32(x4_over_4, x3), constant_1_over_3), x2),
        1);
    return trt_wrap_add_s32(constant_term,
                            trt_sat_rounding_doubling_high_mul(constant_term, trt_wrap_add_s32(x, poly)));
}

/* exp(a) for a <= 0, a in Q5.26, result Q0.31 (gemmlowp
 * exp_on_negative_values<int32, 5>). */
static inline int32_t trt_exp_on_negative_values_q5(int32_t a)
{
    /* exp(-2^k) for k = -2..4, Q0.31: the barrel shifter's factors. */
    static const int32_t multipliers[7] = {1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242};
    const int fractional_bits = 26;
    const int32_t one_quarter = (int32_t)1 << (fractional_bits - 2);
    const int32_t a_mod_quarter_minus_one_quarter = trt_wrap_sub_s32(a & (one_quarter - 1), one_quarter);
    /* Rescale<0> from 5 integer bits: a saturating left shift by 5. */
    int32_t result = trt_exp_on_interval_between_negative_one_quarter_and_0_excl(
        trt_sat_rounding_mul_by_pot(a_mod_quarter_minus_one_quarter, 5));
    const int32_t remainder = trt_wrap_sub_s32(a_mod_quarter_minus_one_quarter, a);
    int k;
    for (k = 0; k < 7; k++)
    {
        if ((remainder & ((int32_t)1 << (fractional_bits - 2 + k))) != 0)
        {
            result = trt_sat_rounding_doubling_high_mul(result, multipliers[k]);
        }
    }
    /* With 5 integer bits gemmlowp needs no clamp below -32. */
    return a == 0 ? INT32_MAX : result;
}

/* 1 / (1 + a) for a in [0, 1): a Q0.31, result Q0.31 (gemmlowp
 * one_over_one_plus_x_for_x_in_0_1, Newton-Raphson in Q2.29). */
static inline int32_t trt_one_over_one_plus_x_for_x_in_0_1(int32_t a)
{
    const int32_t constant_48_over_17 = 1515870810;
    const int32_t constant_neg_32_over_17 = -1010580540;
    const int32_t one_q2 = (int32_t)1 << 29;
    const int32_t half_denominator = trt_rounding_half_sum(a, INT32_MAX);
    int32_t x = trt_wrap_add_s32(constant_48_over_17,
                                 trt_sat_rounding_doubling_high_mul(half_denominator, constant_neg_32_over_17));
    int i;
    for (i = 0; i < 3; i++)
    {
        const int32_t half_denominator_times_x = trt_sat_rounding_doubling_high_mul(half_denominator, x);
        const int32_t one_minus_half_denominator_times_x = trt_wrap_sub_s32(one_q2, half_denominator_times_x);
        /* Q2 * Q2 is Q4; Rescale<2> is a saturating left shift by 2. */
        x = trt_wrap_add_s32(
            x, trt_sat_rounding_mul_by_pot(trt_sat_rounding_doubling_high_mul(x, one_minus_half_denominator_times_x), 2));
    }
    /* ExactMulByPot<-1> makes it Q1; Rescale<0> shifts left by 1. */
    return trt_sat_rounding_mul_by_pot(x, 1);
}

/* TFLM GetReciprocal: for x > 0 with x_integer_digits integer bits, returns
 * 1/x as a Q0.31 value scaled by 2^num_bits_over_unit. Defined (if
 * meaningless) for x <= 0 too. */
static inline int32_t trt_get_reciprocal(int32_t x, int x_integer_digits, int *num_bits_over_unit)
{
    const int headroom_plus_one = trt_clz_u32((uint32_t)x);
    /* headroom_plus_one is 32 only for x == 0, whose shifted value is 0. */
    const uint32_t shifted = headroom_plus_one < 32 ? (uint32_t)x << headroom_plus_one : 0u;
    *num_bits_over_unit = x_integer_digits - headroom_plus_one;
    return trt_one_over_one_plus_x_for_x_in_0_1(trt_wrap_s32(shifted - 0x80000000u));
}

#endif /* TINYRT_FIXEDPOINT_H */
