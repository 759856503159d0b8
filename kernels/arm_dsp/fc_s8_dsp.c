/*
 * FULLY_CONNECTED, int8, DSP. The weights stream once per batch row, four
 * output units per pass: each word of four inputs is read and split by
 * SXTB16 once, then meets a word of each unit's weights in two SMLADs.
 *
 * The converter lays the constants out (tinyrt/layout.py):
 *  - filter: units in groups of four, each group as its four rows' words
 *    interleaved (row 0 inputs 0..3, row 1 inputs 0..3, ..., row 0 inputs
 *    4..7, ...), then the rows' last depth % 4 weights, row after row; the
 *    last cout % 4 units as they are, row after row.
 *  - bias: present, input_offset * sum(row) added (exact for FULLY_CONNECTED,
 *    which has no padding), input_offset 0.
 */
#if defined(__GNUC__) && !defined(__clang__)
/* GCC's scheduling before register allocation moves every load of an
 * unrolled body ahead of its multiplies and then spills the accumulators. */
#pragma GCC optimize("no-schedule-insns")
#endif
#include <stddef.h>

#include "dsp.h"

static inline int32_t mac(int32_t acc, int8_t x, int8_t w)
{
    return (int32_t)((uint32_t)acc + (uint32_t)((int32_t)x * w));
}

static inline int8_t requant(const trt_fc_params_t *p, const trt_dsp_rq_t *rq, int32_t acc)
{
    int32_t v = trt_dsp_rq_apply(acc, rq) + p->output_offset;
    v = v < p->act_min ? p->act_min : v;
    v = v > p->act_max ? p->act_max : v;
    return (int8_t)v;
}

/* The requantization constants of output units oc .. oc + n - 1. */
static inline void unit_rq(const trt_requant_t *quant, int32_t oc, int32_t n, trt_dsp_rq_t *rq)
{
    int32_t k;
    for (k = 0; k < n; k++)
    {
        const int32_t q = quant->count == 1 ? 0 : oc + k;
        rq[k] = trt_dsp_rq(quant->multiplier[q], quant->shift[q]);
    }
}

/* Four inputs at x into the accumulators of four units whose words are at w. */
static inline void four_units(const int8_t *x, const int8_t *w, int32_t *a0, int32_t *a1, int32_t *a2, int32_t *a3)
{
    const int32_t xv = trt_read32(x);
    const int32_t xe = trt_sxtb16(xv), xo = trt_sxtb16_ror8(xv);
    int32_t wv = trt_read32(w);
    *a0 = trt_smlad(xo, trt_sxtb16_ror8(wv), trt_smlad(xe, trt_sxtb16(wv), *a0));
    wv = trt_read32(w + 4);
    *a1 = trt_smlad(xo, trt_sxtb16_ror8(wv), trt_smlad(xe, trt_sxtb16(wv), *a1));
    wv = trt_read32(w + 8);
    *a2 = trt_smlad(xo, trt_sxtb16_ror8(wv), trt_smlad(xe, trt_sxtb16(wv), *a2));
    wv = trt_read32(w + 12);
    *a3 = trt_smlad(xo, trt_sxtb16_ror8(wv), trt_smlad(xe, trt_sxtb16(wv), *a3));
}

#if TRT_DSP_NATIVE
/* A group of four units in assembly, where every register counts: each
 * unit's word of four weights comes by one LDM (the layout interleaves
 * them), 20 instructions per 16 products where gcc's C takes 23, and the
 * four results are requantized without a reload of the loop's state. */
typedef struct
{
    const int8_t *x;          /* the batch row */
    const int8_t *w;          /* the group's weights, 4-aligned; advanced */
    int32_t pairs;            /* depth / 8 >= 1 (depth % 8 == 0) */
    const int32_t *bias;      /* the group's four */
    const trt_dsp_rq_t *rq;   /* the group's four, each with a right shift */
    int8_t *out;              /* the group's four */
    int32_t output_offset;
    int32_t act_min, act_max; /* adjacent: one LDRD */
} fc_group_t;

#define FG_(field) [field] "i"(offsetof(fc_group_t, field))
#define RQ_(field) [rq_##field] "i"(offsetof(trt_dsp_rq_t, field))
/* Four inputs (one word at r0) into the accumulators r4..r7, one weight
 * word per unit (r8..r11) from r1. */
#define FG_STEP_                                                                                                       \
    "ldr r3, [r0], #4\n\t"                                                                                             \
    "ldm r1!, {r8-r11}\n\t"                                                                                            \
    "sxtb16 r12, r3\n\t"                                                                                               \
    "sxtb16 lr, r3, ror #8\n\t" FG_UNIT_("r4", "r8") FG_UNIT_("r5", "r9") FG_UNIT_("r6", "r10") FG_UNIT_("r7", "r11")
#define FG_UNIT_(acc, w)                                                                                               \
    "sxtb16 r3, " w "\n\t"                                                                                             \
    "sxtb16 " w ", " w ", ror #8\n\t"                                                                                  \
    "smlad " acc ", r3, r12, " acc "\n\t"                                                                              \
    "smlad " acc ", " w ", lr, " acc "\n\t"
/* Unit `index`'s accumulator acc requantized (trt_dsp_rq_right with the
 * constants of r2's entry `index`, r3 the output offset), clamped to the
 * activation range and stored at r1. */
#define FG_REQUANT_(index, acc)                                                                                        \
    "ldrd r9, r10, [r2, #%c[rq_round_lo]+" index "*%c[rq_size]]\n\t"                                                  \
    "ldr r8, [r2, #%c[rq_multiplier]+" index "*%c[rq_size]]\n\t"                                                      \
    "ldr r11, [r2, #%c[rq_right]+" index "*%c[rq_size]]\n\t"                                                          \
    TRT_DSP_RQ_RIGHT_ASM(acc, "r8", "r9", "r10", "r11", "r12", "lr")                                                   \
    "add r12, r12, r3\n\t"                                                                                             \
    "ldrd r8, r9, [r0, %[act_min]]\n\t"                                                                                \
    "cmp r12, r8\n\t"                                                                                                  \
    "it lt\n\t"                                                                                                        \
    "movlt r12, r8\n\t"                                                                                                \
    "cmp r12, r9\n\t"                                                                                                  \
    "it gt\n\t"                                                                                                        \
    "movgt r12, r9\n\t"                                                                                                \
    "strb r12, [r1], #1\n\t"

__attribute__((noinline)) static void fc_group(fc_group_t *f)
{
    register fc_group_t *r0 __asm__("r0") = f;
    __asm__ volatile("push {r0}\n\t"
                     "ldr r12, [r0, %[bias]]\n\t"
                     "ldm r12, {r4-r7}\n\t"
                     "ldr r2, [r0, %[pairs]]\n\t"
                     "ldr r1, [r0, %[w]]\n\t"
                     "ldr r0, [r0, %[x]]\n\t"
                     "1:\n\t" FG_STEP_ FG_STEP_ "subs r2, r2, #1\n\t"
                     "bne 1b\n\t"
                     "pop {r0}\n\t"
                     "str r1, [r0, %[w]]\n\t"
                     "ldr r1, [r0, %[out]]\n\t"
                     "ldr r2, [r0, %[rq]]\n\t"
                     "ldr r3, [r0, %[output_offset]]\n\t" FG_REQUANT_("0", "r4") FG_REQUANT_("1", "r5")
                         FG_REQUANT_("2", "r6") FG_REQUANT_("3", "r7")
                     : "+r"(r0)
                     : FG_(x), FG_(w), FG_(pairs), FG_(bias), FG_(rq), FG_(out), FG_(output_offset), FG_(act_min),
                       RQ_(round_lo), RQ_(multiplier), RQ_(right), [rq_size] "i"(sizeof(trt_dsp_rq_t))
                     : "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "lr", "cc",
                       "memory");
}
#endif

void trt_fc_s8_dsp(const trt_ctx_t *ctx, const trt_fc_params_t *params, const trt_requant_t *quant,
                   const trt_dims_t *input_dims, const int8_t *input, const trt_dims_t *filter_dims,
                   const int8_t *filter, const trt_dims_t *bias_dims, const int32_t *bias,
                   const trt_dims_t *output_dims, int8_t *output)
{
    const int32_t batches = output_dims->n * output_dims->h * output_dims->w;
    const int32_t depth = filter_dims->c;
    const int32_t out_c = output_dims->c;
    const int32_t blocks = depth / 4;
    const int32_t tail = depth % 4;
    trt_dsp_rq_t rq[4];
    int32_t b, oc, i, j;
#if TRT_DSP_NATIVE
    fc_group_t f;
    const int fast = depth >= 8 && depth % 8 == 0 && ((uintptr_t)filter & 3) == 0;
    f.pairs = depth / 8;
    f.rq = rq;
    f.output_offset = params->output_offset;
    f.act_min = params->act_min;
    f.act_max = params->act_max;
#endif

    (void)ctx;
    (void)input_dims;
    (void)bias_dims;

    /* Per tensor: the requantization constants once for every unit. */
    if (quant->count == 1)
    {
        unit_rq(quant, 0, 4, rq);
    }

    for (b = 0; b < batches; b++)
    {
        const int8_t *row = input + b * depth;
        const int8_t *w = filter;
        int8_t *out = output + b * out_c;
        for (oc = 0; oc + 4 <= out_c; oc += 4)
        {
            const int8_t *x = row;
            if (quant->count != 1)
            {
                unit_rq(quant, oc, 4, rq);
            }
#if TRT_DSP_NATIVE
            if (fast && (rq[0].smask & rq[1].smask & rq[2].smask & rq[3].smask) != 0)
            {
                f.x = row;
                f.w = w;
                f.bias = bias + oc;
                f.out = out + oc;
                fc_group(&f);
                w = f.w;
                continue;
            }
#endif
            int32_t a0 = bias[oc], a1 = bias[oc + 1], a2 = bias[oc + 2], a3 = bias[oc + 3];
            /* Two words of inputs per iteration: the loop's compare and
             * branch cost half as much per product. */
            const int8_t *pairs_end = row + (blocks & ~1) * 4;
            while (x != pairs_end)
            {
                four_units(x, w, &a0, &a1, &a2, &a3);
                four_units(x + 4, w + 16, &a0, &a1, &a2, &a3);
                x += 8;
                w += 32;
            }
            if (blocks & 1)
            {
                four_units(x, w, &a0, &a1, &a2, &a3);
                x += 4;
                w += 16;
            }
            for (j = 0; j < tail; j++)
            {
                a0 = mac(a0, x[j], w[j]);
                a1 = mac(a1, x[j], w[tail + j]);
                a2 = mac(a2, x[j], w[2 * tail + j]);
                a3 = mac(a3, x[j], w[3 * tail + j]);
            }
            w += 4 * tail;
            out[oc] = requant(params, &rq[0], a0);
            out[oc + 1] = requant(params, &rq[1], a1);
            out[oc + 2] = requant(params, &rq[2], a2);
            out[oc + 3] = requant(params, &rq[3], a3);
        }
        for (; oc < out_c; oc++)
        {
            const int8_t *x = row;
            int32_t a0 = bias[oc];
            for (i = 0; i < blocks; i++)
            {
                const int32_t xv = trt_read32(x);
                const int32_t wv = trt_read32(w);
                a0 = trt_smlad(trt_sxtb16(xv), trt_sxtb16(wv), a0);
                a0 = trt_smlad(trt_sxtb16_ror8(xv), trt_sxtb16_ror8(wv), a0);
                x += 4;
                w += 4;
            }
            for (j = 0; j < tail; j++)
            {
                a0 = mac(a0, x[j], w[j]);
            }
            w += tail;
            if (quant->count != 1)
            {
                unit_rq(quant, oc, 1, rq);
            }
            out[oc] = requant(params, &rq[0], a0);
        }
    }
}
