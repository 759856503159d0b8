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

/* Halfword lanes: the low half of lo, the high half of hi. */
static inline int32_t trt_pkhbt(int32_t lo, int32_t hi)
{
    int32_t r;
    __asm__("pkhbt %0, %1, %2" : "=r"(r) : "r"(lo), "r"(hi));
    return r;
}

/* The high half of hi over the high half of lo, shifted down: (lo >> 16) | (hi & 0xffff0000). */
static inline int32_t trt_pkhtb_asr16(int32_t hi, int32_t lo)
{
    int32_t r;
    __asm__("pkhtb %0, %1, %2, asr #16" : "=r"(r) : "r"(hi), "r"(lo));
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

/* (x * y + 2^31) >> 32, the rounded high word of the 64-bit product. */
static inline int32_t trt_smmulr(int32_t x, int32_t y)
{
    int32_t r;
    __asm__("smmulr %0, %1, %2" : "=r"(r) : "r"(x), "r"(y));
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

static inline int32_t trt_pkhbt(int32_t lo, int32_t hi)
{
    return (int32_t)(((uint32_t)lo & 0xFFFFu) | ((uint32_t)hi & 0xFFFF0000u));
}

static inline int32_t trt_pkhtb_asr16(int32_t hi, int32_t lo)
{
    return (int32_t)(((uint32_t)hi & 0xFFFF0000u) | (((uint32_t)lo >> 16) & 0xFFFFu));
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

static inline int32_t trt_smmulr(int32_t x, int32_t y)
{
    return (int32_t)(((int64_t)x * y + ((int64_t)1 << 31)) >> 32);
}

static inline int32_t trt_ssat8(int32_t x)
{
    return x < -128 ? -128 : x > 127 ? 127 : x;
}

#endif /* TRT_DSP_NATIVE */

/* TFLM's MultiplyByQuantizedMultiplier (trt_mul_by_quantized_multiplier)
 * for multiplier >= 0, which the loader guarantees, with the shift split
 * into left = max(shift, 0) and right = max(-shift, 0) (hoisted out of the
 * loop by the caller). With multiplier >= 0 the doubling high multiply never
 * saturates, and gemmlowp's nudge (2^30, or 1 - 2^30 for a negative product)
 * followed by a truncating division by 2^31 is floor((ab + 2^30) / 2^31) for
 * either sign: one SMLAL and a shift instead of the branches. The rounding
 * right shift is gemmlowp's RoundingDivideByPOT. */
static inline int32_t trt_dsp_requant(int32_t x, int32_t multiplier, int32_t left, int32_t right)
{
    int64_t ab = (int64_t)trt_wrap_shl_s32(x, left) * multiplier + ((int64_t)1 << 30);
    int32_t v = (int32_t)(ab >> 31);
    int32_t mask = (int32_t)(((uint32_t)1 << right) - 1u);
    int32_t threshold = (mask >> 1) + (v < 0);
    return (v >> right) + ((v & mask) > threshold);
}

/* TFLM's MultiplyByQuantizedMultiplier in fewer instructions where the
 * accumulator is small enough (trt_dsp_requant_fits: |acc| << (left + 2)
 * < 2^31, which the converter and the loader check per op): the doubling high
 * multiply of a = acc << left is SMMULR(2a, multiplier) (2a cannot wrap), and
 * its result v, |v| <= 2^29, takes gemmlowp's RoundingDivideByPOT by 2^right
 * as (v + 2^(right-1) - (v < 0)) >> right without overflow. The per-channel
 * constants, from the multiplier and shift: */
typedef struct
{
    int32_t multiplier;
    int32_t left;  /* max(shift, 0) + 1 */
    int32_t round; /* 2^(right-1), or 0 when right = 0 */
    int32_t sign;  /* 1, or 0 when right = 0 */
    int32_t right; /* max(-shift, 0) */
} trt_dsp_rq_t;

static inline trt_dsp_rq_t trt_dsp_rq(int32_t multiplier, int32_t shift)
{
    trt_dsp_rq_t q;
    q.multiplier = multiplier;
    q.left = (shift > 0 ? shift : 0) + 1;
    q.right = shift > 0 ? 0 : -shift;
    q.round = q.right > 0 ? (int32_t)((uint32_t)1 << (q.right - 1)) : 0;
    q.sign = q.right > 0;
    return q;
}

static inline int32_t trt_dsp_rq_apply(int32_t acc, const trt_dsp_rq_t *q)
{
    const int32_t v = trt_smmulr((int32_t)((uint32_t)acc << q->left), q->multiplier);
    return (v + q->round - ((int32_t)((uint32_t)v >> 31) & q->sign)) >> q->right;
}

#endif /* TINYRT_ARM_DSP_H */
