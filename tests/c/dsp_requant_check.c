/*
 * kernels/arm_dsp/dsp.h's requantization (trt_dsp_rq_apply, and
 * trt_dsp_rq_small where its bound holds) against the reference
 * trt_mul_by_quantized_multiplier: edge values of x, multiplier and shift,
 * then `argv[1]` random triples. Prints the mismatches found; exit status 1
 * on any. Built and run by tests/test_dsp_requant.py.
 */
#include <stdio.h>
#include <stdlib.h>

#include "arm_dsp/dsp.h"
#include "tinyrt/limits.h"

static uint64_t state = 88172645463325252ull;

static uint64_t next(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

static long mismatches;

static void check(int32_t x, int32_t m, int32_t shift)
{
    const trt_dsp_rq_t q = trt_dsp_rq(m, shift);
    const int32_t want = trt_mul_by_quantized_multiplier(x, m, shift);
    const int64_t shifted = shift > 0 ? (int64_t)x * ((int64_t)1 << shift) : x;
    if (trt_dsp_rq_apply(x, &q) != want ||
        ((shift < 0 || (shifted < ((int64_t)1 << 30) && shifted > -((int64_t)1 << 30))) &&
         trt_dsp_rq_small(x, &q) != want))
    {
        if (mismatches++ < 10)
        {
            printf("x=%d multiplier=%d shift=%d: want %d\n", x, m, shift, want);
        }
    }
}

int main(int argc, char **argv)
{
    static const int32_t xs[] = {0, 1, -1, 2, -2, 127, -128, 255, -255, 1 << 30, -(1 << 30), INT32_MAX, INT32_MIN,
                                 INT32_MAX - 1, INT32_MIN + 1, 12345678, -12345678};
    static const int32_t ms[] = {0, 1, 2, 1 << 30, (1 << 30) + 1, INT32_MAX, INT32_MAX - 1, 1518500250};
    const long n = argc > 1 ? atol(argv[1]) : 1000000;
    size_t i, j;
    int32_t shift;
    long k;

    for (i = 0; i < sizeof xs / sizeof xs[0]; i++)
        for (j = 0; j < sizeof ms / sizeof ms[0]; j++)
            for (shift = TRT_MIN_SHIFT; shift <= TRT_MAX_SHIFT; shift++)
                check(xs[i], ms[j], shift);
    for (k = 0; k < n; k++)
    {
        const uint64_t r = next();
        int32_t x;
        switch (r & 3)
        {
        case 0: x = (int32_t)next(); break;
        case 1: x = (int32_t)(next() % 2000001) - 1000000; break;
        case 2: x = (int32_t)(next() % 201) - 100; break;
        default: x = (r >> 8 & 1) ? INT32_MIN + (int32_t)(next() % 5) : INT32_MAX - (int32_t)(next() % 5); break;
        }
        check(x, (int32_t)(next() & 0x7fffffff), (int32_t)(next() % 63) - 31);
    }
    printf("%ld mismatches\n", mismatches);
    return mismatches != 0;
}
