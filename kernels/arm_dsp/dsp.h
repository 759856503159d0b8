/*
 * The ARMv7E-M DSP instructions the arm_dsp kernels are written with, and a
 * portable C model of each for other targets. The model lets the host build
 * run every arm_dsp kernel, so the randomized suites compare its algorithm
 * (lane order, tails, folded offsets) with the reference on the host; the
 * instructions themselves are compared under emulation.
 */
#ifndef TINYRT_ARM_DSP_H
#define TINYRT_ARM_DSP_H

#include <stdint.h>
#include <string.h>

#include "tinyrt/fixedpoint.h"
#include "tinyrt/kernels.h"

/* The per-value helpers must inline into the kernels' loops, which gcc's
 * heuristics do not always grant at -O2. */
#if defined(__GNUC__)
#define TRT_DSP_INLINE static inline __attribute__((always_inline))
#else
#define TRT_DSP_INLINE static inline
#endif

#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP
#define TRT_DSP_NATIVE 1
#else
#define TRT_DSP_NATIVE 0
#endif

/* Four int8 (or two int16) from any address: one LDR on cores with
 * unaligned access (Cortex-M3 and up), which memcpy compiles to. */
static inline int32_t trt_read32(const void *p)
{
    int32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline void trt_write32(void *p, int32_t v)
{
    memcpy(p, &v, sizeof v);
}

#if TRT_DSP_NATIVE

/* Bytes 0 and 2, sign-extended to the two halfwords. */
static inline int32_t trt_sxtb16(int32_t x)
{
    int32_t r;
    __asm__("sxtb16 %0, %1" : "=r"(r) : "r"(x));
    return r;
}

/* Bytes 1 and 3, sign-extended to the two halfwords. */
static inline int32_t trt_sxtb16_ror8(int32_t x)
{
    int32_t r;
    __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(x));
    return r;
}

/* acc + lo(x) * lo(y) + hi(x) * hi(y), 16-bit signed lanes. */
static inline int32_t trt_smlad(int32_t x, int32_t y, int32_t acc)
{
    int32_t r;
    __asm__("smlad %0, %1, %2, %3" : "=r"(r) : "r"(x), "r"(y), "r"(acc));
    return r;
}

/* Two halfword lanes added, wrapping. */
static inline int32_t trt_sadd16(int32_t x, int32_t y)
{
    int32_t r;
    __asm__("sadd16 %0, %1, %2" : "=r"(r) : "r"(x), "r"(y));
    return r;
}

/* acc + lo(x) * lo(y), 16-bit signed lanes. */
static inline int32_t trt_smlabb(int32_t x, int32_t y, int32_t acc)
{
    int32_t r;
    __asm__("smlabb %0, %1, %2, %3" : "=r"(r) : "r"(x), "r"(y), "r"(acc));
    return r;
}

/* acc + hi(x) * hi(y), 16-bit signed lanes. */
static inline int32_t trt_smlatt(int32_t x, int32_t y, int32_t acc)
{
    int32_t r;
    __asm__("smlatt %0, %1, %2, %3" : "=r"(r) : "r"(x), "r"(y), "r"(acc));
    return r;
}

/* x saturated to [-128, 127]. */
static inline int32_t trt_ssat8(int32_t x)
{
    int32_t r;
    __asm__("ssat %0, #8, %1" : "=r"(r) : "r"(x));
    return r;
}

/* acc's halfword lanes plus bytes 0 and 2 of x, sign-extended, wrapping. */
static inline int32_t trt_sxtab16(int32_t acc, int32_t x)
{
    int32_t r;
    __asm__("sxtab16 %0, %1, %2" : "=r"(r) : "r"(acc), "r"(x));
    return r;
}

/* The same with bytes 1 and 3. */
static inline int32_t trt_sxtab16_ror8(int32_t acc, int32_t x)
{
    int32_t r;
    __asm__("sxtab16 %0, %1, %2, ror #8" : "=r"(r) : "r"(acc), "r"(x));
    return r;
}

#else /* portable model */

static inline int32_t trt_lane_(int32_t x, int lane)
{
    return (int32_t)(int16_t)(uint16_t)((uint32_t)x >> (16 * lane));
}

static inline int32_t trt_lanes_(int32_t lo, int32_t hi)
{
    return (int32_t)(((uint32_t)(uint16_t)lo) | ((uint32_t)(uint16_t)hi << 16));
}

static inline int32_t trt_sxtb16(int32_t x)
{
    return trt_lanes_((int8_t)(uint8_t)((uint32_t)x), (int8_t)(uint8_t)((uint32_t)x >> 16));
}

static inline int32_t trt_sxtb16_ror8(int32_t x)
{
    return trt_lanes_((int8_t)(uint8_t)((uint32_t)x >> 8), (int8_t)(uint8_t)((uint32_t)x >> 24));
}

static inline int32_t trt_smlad(int32_t x, int32_t y, int32_t acc)
{
    /* The sum wraps like the instruction (which only sets the Q flag). */
    uint32_t r = (uint32_t)acc + (uint32_t)(trt_lane_(x, 0) * trt_lane_(y, 0)) +
                 (uint32_t)(trt_lane_(x, 1) * trt_lane_(y, 1));
    return (int32_t)r;
}

static inline int32_t trt_sadd16(int32_t x, int32_t y)
{
    return trt_lanes_(trt_lane_(x, 0) + trt_lane_(y, 0), trt_lane_(x, 1) + trt_lane_(y, 1));
}

static inline int32_t trt_smlabb(int32_t x, int32_t y, int32_t acc)
{
    return (int32_t)((uint32_t)acc + (uint32_t)(trt_lane_(x, 0) * trt_lane_(y, 0)));
}

static inline int32_t trt_smlatt(int32_t x, int32_t y, int32_t acc)
{
    return (int32_t)((uint32_t)acc + (uint32_t)(trt_lane_(x, 1) * trt_lane_(y, 1)));
}

static inline int32_t trt_ssat8(int32_t x)
{
    return x < -128 ? -128 : x > 127 ? 127 : x;
}

static inline int32_t trt_sxtab16(int32_t acc, int32_t x)
{
    return trt_sadd16(acc, trt_sxtb16(x));
}

static inline int32_t trt_sxtab16_ror8(int32_t acc, int32_t x)
{
    return trt_sadd16(acc, trt_sxtb16_ror8(x));
}

#endif /* TRT_DSP_NATIVE */

static inline int32_t trt_dsp_min(int32_t a, int32_t b)
{
    return a < b ? a : b;
}

/* TFLM's requantization, MultiplyByQuantizedMultiplier
 * (trt_mul_by_quantized_multiplier), for one channel's multiplier m >= 0
 * (which the loader guarantees), set up once per channel so that each value
 * costs one SMLAL and a few ALU instructions instead of the branches.
 *
 * With m >= 0 the doubling high multiply never saturates, and gemmlowp's
 * nudge then truncation is v = floor((x m + 2^30) / 2^31) for either sign.
 * A right shift r >= 1 then rounds half away from zero,
 * floor((v + 2^(r-1) - [v < 0]) / 2^r), and since v's own rounding error
 * x m + 2^30 - 2^31 v lies in [0, 2^31), both roundings are one:
 *     floor((x m + 2^30 + 2^(30+r) - 2^31 [x < 0]) / 2^(31+r))
 * ([x < 0] may stand for [v < 0]: where they differ v = 0 and so is the
 * result, either way). Without a right shift (shift L >= 0) only v remains:
 *     floor(((x << L) m + 2^30) / 2^31) = floor(((x << (L+1)) m + 2^31) / 2^32)
 * the second form where x << (L+1) stays in int32. Both are then the high
 * word of one SMLAL on a 64-bit rounding term, shifted right. */
typedef struct
{
    uint32_t round_lo; /* the rounding term, 2^30 + 2^(30+r) or 2^31, */
    int32_t round_hi;  /* as two words */
    int32_t multiplier;
    int32_t shift;
    int32_t pre;   /* left shift of x: L + 1 without a right shift, else 0 */
    int32_t smask; /* -1 with a right shift (the [x < 0] term), else 0 */
    int32_t right; /* r - 1 with a right shift r >= 1, else 0 */
} trt_dsp_rq_t;

static inline trt_dsp_rq_t trt_dsp_rq(int32_t multiplier, int32_t shift)
{
    trt_dsp_rq_t q;
    q.multiplier = multiplier;
    q.shift = shift;
    q.pre = shift >= 0 ? shift + 1 : 0;
    q.smask = shift < 0 ? -1 : 0;
    q.right = shift < 0 ? -shift - 1 : 0;
    /* 2^(30+r) is 2^31 in the low word for r = 1, 2^(r-2) in the high word
     * for r >= 2. */
    q.round_lo = shift >= 0 ? 1u << 31 : (1u << 30) | (shift == -1 ? 1u << 31 : 0u);
    q.round_hi = shift < -1 ? (int32_t)(1u << (-shift - 2)) : 0;
    return q;
}

/* The one-SMLAL form, exact for every x with a right shift (shift < 0), and
 * without one where |x << shift| < 2^30. */
TRT_DSP_INLINE int32_t trt_dsp_rq_small(int32_t x, const trt_dsp_rq_t *q)
{
#if TRT_DSP_NATIVE
    uint32_t lo;
    int32_t hi, sign;
    x = q->pre < 32 ? (int32_t)((uint32_t)x << q->pre) : 0; /* L + 1 = 32: x is 0 by the bound */
    __asm__("and %[s], %[mask], %[x], asr #31\n\t"
            "adds %[lo], %[rlo], %[s], lsl #31\n\t"
            "adc %[hi], %[rhi], %[s]\n\t"
            "smlal %[lo], %[hi], %[x], %[m]"
            : [lo] "=&r"(lo), [hi] "=&r"(hi), [s] "=&r"(sign)
            : [x] "r"(x), [m] "r"(q->multiplier), [rlo] "r"(q->round_lo), [rhi] "r"(q->round_hi),
              [mask] "r"(q->smask)
            : "cc");
    return hi >> q->right;
#else
    const int64_t round = (int64_t)((uint64_t)(uint32_t)q->round_hi << 32 | q->round_lo);
    int64_t acc;
    x = q->pre < 32 ? (int32_t)((uint32_t)x << q->pre) : 0; /* L + 1 = 32: x is 0 by the bound */
    acc = round + (int64_t)x * q->multiplier - ((x & q->smask) < 0 ? (int64_t)1 << 31 : 0);
    return (int32_t)(acc >> 32) >> q->right;
#endif
}

/* trt_dsp_rq_small for a right shift (shift < 0), without the steps that
 * are then void. */
TRT_DSP_INLINE int32_t trt_dsp_rq_right(int32_t x, const trt_dsp_rq_t *q)
{
#if TRT_DSP_NATIVE
    uint32_t lo;
    int32_t hi, sign;
    __asm__("asr %[s], %[x], #31\n\t"
            "adds %[lo], %[rlo], %[s], lsl #31\n\t"
            "adc %[hi], %[rhi], %[s]\n\t"
            "smlal %[lo], %[hi], %[x], %[m]"
            : [lo] "=&r"(lo), [hi] "=&r"(hi), [s] "=&r"(sign)
            : [x] "r"(x), [m] "r"(q->multiplier), [rlo] "r"(q->round_lo), [rhi] "r"(q->round_hi)
            : "cc");
    return hi >> q->right;
#else
    return trt_dsp_rq_small(x, q);
#endif
}

/* trt_dsp_rq_right as assembly text for the kernels' asm blocks: acc and the
 * constants (m, round_lo, round_hi, right) in registers, the result in hi,
 * lo scratch. */
#define TRT_DSP_RQ_RIGHT_ASM(acc, m, rlo, rhi, right, hi, lo)                                                          \
    "asr " hi ", " acc ", #31\n\t"                                                                                    \
    "adds " lo ", " rlo ", " hi ", lsl #31\n\t"                                                                       \
    "adc " hi ", " rhi ", " hi "\n\t"                                                                                 \
    "smlal " lo ", " hi ", " acc ", " m "\n\t"                                                                        \
    "asr " hi ", " hi ", " right "\n\t"

/* Any x and shift: the one-SMLAL form with a right shift, else v with the
 * left shift wrapping as in TFLM. */
TRT_DSP_INLINE int32_t trt_dsp_rq_apply(int32_t x, const trt_dsp_rq_t *q)
{
    if (q->smask != 0)
    {
        return trt_dsp_rq_right(x, q);
    }
    return (int32_t)(((int64_t)trt_wrap_shl_s32(x, q->shift) * q->multiplier + ((int64_t)1 << 30)) >> 31);
}

#endif /* TINYRT_ARM_DSP_H */
