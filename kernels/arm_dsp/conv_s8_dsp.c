/*
 * CONV_2D, int8, ARMv7E-M DSP: two output pixels by two output channels per
 * pass of the inner loop, four filter taps per step with SXTB16 + SMLAD.
 *
 * The two pixels' receptive fields (im2col columns of K = KH * KW * Cin
 * bytes) are widened once into int16 scratch, lanes in the order SXTB16
 * gives a filter word, (x0, x2) then (x1, x3), so that the filter is read
 * as int8 and widened on the fly with no reordering. Each step reads two
 * column words per pixel and one filter word per channel: 4 loads,
 * 4 SXTB16 and 8 SMLAD for 16 multiply-accumulates.
 *
 * The input offset is folded into the bias offline for every shape (see
 * trt_conv_s8_dsp in kernels.h): taps outside the image hold the input zero
 * point, whose offset-corrected value is 0, which is what TFLM's skipping
 * of them amounts to. So the inner loop multiplies raw input bytes.
 *
 * In place (1x1, stride 1, no padding, Cout <= Cin): a pass reads pixels p
 * and p + 1 into scratch before it writes their outputs, which end at
 * (p + 2) * Cout <= (p + 2) * Cin, where pixel p + 2 starts.
 */
#include <stddef.h>

#include "dsp.h"

static int32_t column_bytes(const trt_dims_t *filter_dims)
{
    return filter_dims->h * filter_dims->w * filter_dims->c;
}

/* A 1x1 window that cannot read padding is one input pixel: no gather. */
static int direct_columns(const trt_conv_params_t *p, const trt_dims_t *filter_dims)
{
    return filter_dims->h == 1 && filter_dims->w == 1 && p->pad_top == 0 && p->pad_left == 0;
}

int32_t trt_conv_s8_dsp_scratch_size(const trt_conv_params_t *params, const trt_dims_t *filter_dims)
{
    const int32_t k = column_bytes(filter_dims);
    /* Each channel's requantization (16 bytes, for the assembly), the pair's
     * widened columns, plus the two gathered int8 columns they come from
     * unless the columns are input pixels. */
    return 16 * filter_dims->n + 4 * k + (direct_columns(params, filter_dims) ? 0 : 2 * k);
}

/* The receptive field of output pixel `pixel` (NHW order) as K bytes in the
 * filter's (KH, KW, Cin) order: the input pixel itself for direct columns
 * (col NULL), else gathered into col with out-of-image taps holding the input
 * zero point. */
static const int8_t *column(const trt_conv_params_t *p, const trt_dims_t *in_dims, const int8_t *input,
                            const trt_dims_t *f_dims, const trt_dims_t *out_dims, int32_t pixel, int8_t *col)
{
    const int32_t per_image = out_dims->h * out_dims->w;
    const int32_t b = pixel / per_image;
    const int32_t oy = pixel % per_image / out_dims->w;
    const int32_t ox = pixel % out_dims->w;
    const int32_t y0 = oy * p->stride_h - p->pad_top;
    const int32_t x0 = ox * p->stride_w - p->pad_left;
    const int32_t in_c = in_dims->c;
    const int8_t *image = input + b * in_dims->h * in_dims->w * in_c;
    int8_t *dst = col;
    int32_t ky, kx, run;

    if (col == NULL)
    {
        return image + (y0 * in_dims->w + x0) * in_c;
    }
    for (ky = 0; ky < f_dims->h; ky++)
    {
        const int32_t y = y0 + ky * p->dilation_h;
        if (y < 0 || y >= in_dims->h)
        {
            memset(dst, -p->input_offset, (size_t)(f_dims->w * in_c));
            dst += f_dims->w * in_c;
            continue;
        }
        for (kx = 0; kx < f_dims->w; kx += run)
        {
            const int32_t x = x0 + kx * p->dilation_w;
            run = 1;
            if (x >= 0 && x < in_dims->w)
            {
                /* Without dilation, the taps up to the image's right edge
                 * are one run of input bytes. */
                run = p->dilation_w == 1 ? trt_dsp_min(f_dims->w - kx, in_dims->w - x) : 1;
                memcpy(dst, image + (y * in_dims->w + x) * in_c, (size_t)(run * in_c));
            }
            else
            {
                memset(dst, -p->input_offset, (size_t)in_c);
            }
            dst += run * in_c;
        }
    }
    return col;
}

/* Two columns of k bytes widened into q: per group of four bytes, column
 * 0's (x0, x2) and (x1, x3) words, then column 1's; the k % 4 tail bytes
 * after them as int16 pairs (column 0, column 1). */
static void widen(const int8_t *x0, const int8_t *x1, int32_t k, int32_t *q)
{
    int16_t *tail;
    int32_t g, i;

    for (g = k >> 2; g > 0; g--)
    {
        const int32_t a = trt_read32(x0);
        const int32_t b = trt_read32(x1);
        q[0] = trt_sxtb16(a);
        q[1] = trt_sxtb16_ror8(a);
        q[2] = trt_sxtb16(b);
        q[3] = trt_sxtb16_ror8(b);
        x0 += 4;
        x1 += 4;
        q += 4;
    }
    tail = (int16_t *)q;
    for (i = 0; i < (k & 3); i++)
    {
        tail[2 * i] = x0[i];
        tail[2 * i + 1] = x1[i];
    }
}

/* Four taps of channels 0 and 1 (filter rows *w0, *w1) at pixels 0 and 1
 * (widened column words *c), advancing the three pointers: acc[pixel][channel].
 * Native, one asm block: gcc would otherwise hoist the loads of an unrolled
 * loop and spill the accumulators. */
TRT_DSP_INLINE void mac_step(const int32_t **c, const int8_t **w0, const int8_t **w1, int32_t *a00, int32_t *a01,
                             int32_t *a10, int32_t *a11)
{
#if TRT_DSP_NATIVE
    int32_t x0l, x0h, x1l, x1h, w, wl;
    __asm__("ldrd %[x0l], %[x0h], [%[c]], #8\n\t"
            "ldrd %[x1l], %[x1h], [%[c]], #8\n\t"
            "ldr %[w], [%[w0]], #4\n\t"
            "sxtb16 %[wl], %[w]\n\t"
            "sxtb16 %[w], %[w], ror #8\n\t"
            "smlad %[a00], %[wl], %[x0l], %[a00]\n\t"
            "smlad %[a00], %[w], %[x0h], %[a00]\n\t"
            "smlad %[a10], %[wl], %[x1l], %[a10]\n\t"
            "smlad %[a10], %[w], %[x1h], %[a10]\n\t"
            "ldr %[w], [%[w1]], #4\n\t"
            "sxtb16 %[wl], %[w]\n\t"
            "sxtb16 %[w], %[w], ror #8\n\t"
            "smlad %[a01], %[wl], %[x0l], %[a01]\n\t"
            "smlad %[a01], %[w], %[x0h], %[a01]\n\t"
            "smlad %[a11], %[wl], %[x1l], %[a11]\n\t"
            "smlad %[a11], %[w], %[x1h], %[a11]"
            : [a00] "+r"(*a00), [a01] "+r"(*a01), [a10] "+r"(*a10), [a11] "+r"(*a11), [c] "+r"(*c), [w0] "+r"(*w0),
              [w1] "+r"(*w1), [x0l] "=&r"(x0l), [x0h] "=&r"(x0h), [x1l] "=&r"(x1l), [x1h] "=&r"(x1h), [w] "=&r"(w),
              [wl] "=&r"(wl)
            :
            : "memory");
#else
    const int32_t *q = *c;
    int32_t w = trt_read32(*w0);
    int32_t wl = trt_sxtb16(w);
    int32_t wh = trt_sxtb16_ror8(w);
    *a00 = trt_smlad(wh, q[1], trt_smlad(wl, q[0], *a00));
    *a10 = trt_smlad(wh, q[3], trt_smlad(wl, q[2], *a10));
    w = trt_read32(*w1);
    wl = trt_sxtb16(w);
    wh = trt_sxtb16_ror8(w);
    *a01 = trt_smlad(wh, q[1], trt_smlad(wl, q[0], *a01));
    *a11 = trt_smlad(wh, q[3], trt_smlad(wl, q[2], *a11));
    *c += 4;
    *w0 += 4;
    *w1 += 4;
#endif
}

static trt_dsp_rq_t channel_rq(const trt_requant_t *quant, int32_t channel)
{
    const int32_t q = quant->count == 1 ? 0 : channel;
    return trt_dsp_rq(quant->multiplier[q], quant->shift[q]);
}

/* One channel's outputs at the two pixels. */
static void requantize_pair(int32_t acc0, int32_t acc1, const trt_dsp_rq_t *rq, const trt_conv_params_t *p,
                            int8_t *out0, int8_t *out1)
{
    const int32_t v[2] = {trt_dsp_rq_apply(acc0, rq), trt_dsp_rq_apply(acc1, rq)};
    int8_t *const out[2] = {out0, out1};
    int i;

    for (i = 0; i < 2; i++)
    {
        int32_t x = trt_wrap_add_s32(v[i], p->output_offset);
        x = x < p->act_min ? p->act_min : x;
        x = x > p->act_max ? p->act_max : x;
        *out[i] = (int8_t)x;
    }
}

/* The 2x2 block at widened columns q, filter rows w0 and w1, biases in
 * a00/a01, requantized into out0 and out1 (the pair's two pixels), the
 * second channel `step` bytes after the first (0 for an odd last one). The
 * path of the shapes fast_pair does not take (and of every shape on other
 * targets): kept small rather than fast. */
static void block(const int32_t *q, int32_t k, const int8_t *w0, const int8_t *w1, int32_t a00, int32_t a01,
                          const trt_dsp_rq_t *rq0, const trt_dsp_rq_t *rq1, const trt_conv_params_t *p, int8_t *out0,
                          int8_t *out1, int32_t step)
{
    const int16_t *tail;
    int32_t a10 = a00, a11 = a01;
    int32_t g, i;

    for (g = k >> 2; g > 0; g--)
    {
        mac_step(&q, &w0, &w1, &a00, &a01, &a10, &a11);
    }
    tail = (const int16_t *)q;
    for (i = 0; i < (k & 3); i++)
    {
        a00 += w0[i] * tail[2 * i];
        a10 += w0[i] * tail[2 * i + 1];
        a01 += w1[i] * tail[2 * i];
        a11 += w1[i] * tail[2 * i + 1];
    }
    requantize_pair(a00, a10, rq0, p, out0, out1);
    requantize_pair(a01, a11, rq1, p, out0 + step, out1 + step);
}

/* One pixel pair (widened columns q) over every channel pair, in C: the
 * shapes fast_pair does not take (and every shape off target), kept small. */
TRT_DSP_COLD static void slow_pair(const int32_t *q, int32_t k, const int8_t *filter, const int32_t *bias,
                                   const trt_requant_t *quant, const trt_conv_params_t *p, int32_t out_c,
                                   int8_t *out0, int8_t *out1)
{
    int32_t oc;
    for (oc = 0; oc < out_c; oc += 2)
    {
        /* An odd last channel is computed twice, as both rows. */
        const int32_t oc1 = oc + 1 < out_c ? oc + 1 : oc;
        const trt_dsp_rq_t rq0 = channel_rq(quant, oc);
        const trt_dsp_rq_t rq1 = channel_rq(quant, oc1);
        block(q, k, filter + oc * k, filter + oc1 * k, bias != NULL ? bias[oc] : 0, bias != NULL ? bias[oc1] : 0,
              &rq0, &rq1, p, out0 + oc, out1 + oc, oc1 - oc);
    }
}

#if TRT_DSP_NATIVE
/* The common case in assembly, where every register counts: an even channel
 * count, per-channel requantization, a bias, int8's whole
 * activation range. One pixel pair (widened columns q) over every channel
 * pair: the loop's 14 live values take r0-r12 and lr, so the arguments come
 * as one struct (advanced in memory) whose address waits on the stack during
 * the loop. Each channel's rounding term comes from its shift in a few
 * instructions: with right = -shift - 1, round_lo = 2^30 | 2^31 << right and
 * round_hi = 1 << (right - 1), register shifts of 32 or more (right = 0 gives
 * an amount of 255) giving 0. gcc, in C, keeps the requantization constants
 * in memory around its loop and reloads them for every value, and spends as
 * much again on the channel pair's bookkeeping. */
typedef struct
{
    const int32_t *q;      /* the pair's widened columns */
    const int8_t *w;       /* the next channel pair's filter rows; advanced */
    int32_t k;             /* filter row bytes */
    int32_t loops;         /* k / 8 */
    int32_t rest;          /* k % 8 */
    const int32_t *bias;   /* advanced */
    const int32_t *rq;     /* the next channel pair's requantization (rq_table); advanced */
    int8_t *out0, *out1;   /* the next channel at pixels 0 and 1; advanced */
    int32_t output_offset;
    int32_t channel_pairs; /* >= 1; counted down */
} fast_pair_t;

#define FP_(field) [field] "i"(offsetof(fast_pair_t, field))
/* acc requantized (r8 m, r9 round_lo, r10 round_hi, r11 right, r3 the
 * output offset) and stored at out; r12 and lr scratch. */
#define FP_REQUANT_(acc, out)                                                                                          \
    "asr r12, " acc ", #31\n\t"                                                                                        \
    "adds lr, r9, r12, lsl #31\n\t"                                                                                    \
    "adc r12, r10, r12\n\t"                                                                                            \
    "smlal lr, r12, " acc ", r8\n\t"                                                                                   \
    "asr r12, r12, r11\n\t"                                                                                            \
    "add r12, r12, r3\n\t"                                                                                             \
    "ssat r12, #8, r12\n\t"                                                                                            \
    "strb r12, [" out "], #1\n\t"
/* acc requantized without a right shift (r8 m, r9 the left shift L >= 0,
 * r3 the output offset): v = ((acc << L) m + 2^30) >> 31, from the SMLAL's
 * two words; r10, r12 and lr scratch. */
#define FP_REQUANT_LEFT_(acc, out)                                                                                     \
    "lsl r12, " acc ", r9\n\t"                                                                                         \
    "mov lr, #0x40000000\n\t"                                                                                          \
    "mov r10, #0\n\t"                                                                                                  \
    "smlal lr, r10, r12, r8\n\t"                                                                                       \
    "lsl r10, r10, #1\n\t"                                                                                             \
    "orr r10, r10, lr, lsr #31\n\t"                                                                                    \
    "add r10, r10, r3\n\t"                                                                                             \
    "ssat r10, #8, r10\n\t"                                                                                            \
    "strb r10, [" out "], #1\n\t"
/* Channel `index` (0 or 1) of the pair at both pixels, accumulators acc0
 * and acc1, by the form its shift takes (rq_table's entry: r8 m, r9
 * round_lo or L, r10 round_hi, r11 right or -1); `left` and `done` are its
 * local labels. */
#define FP_CHANNEL_(index, acc0, acc1, left, done)                                                                     \
    "ldr r12, [r0, %[rq]]\n\t"                                                                                         \
    "ldrd r8, r9, [r12, #" index "*16]\n\t"                                                                            \
    "ldrd r10, r11, [r12, #" index "*16+8]\n\t"                                                                        \
    "cmp r11, #0\n\t"                                                                                                  \
    "blt " left "f\n\t" FP_REQUANT_(acc0, "r1") FP_REQUANT_(acc1, "r2") "b " done "f\n\t" left                       \
    ":\n\t" FP_REQUANT_LEFT_(acc0, "r1") FP_REQUANT_LEFT_(acc1, "r2") done ":\n\t"
/* Four taps of both channels at both pixels: r0 columns, r1/r2 filter rows,
 * r4..r7 accumulators (pixel 0 channel 0, p0 c1, p1 c0, p1 c1). */
#define FP_STEP_                                                                                                       \
    "ldrd r8, r9, [r0], #8\n\t"                                                                                        \
    "ldrd r10, r11, [r0], #8\n\t"                                                                                      \
    "ldr r12, [r1], #4\n\t"                                                                                            \
    "sxtb16 lr, r12\n\t"                                                                                               \
    "sxtb16 r12, r12, ror #8\n\t"                                                                                      \
    "smlad r4, lr, r8, r4\n\t"                                                                                         \
    "smlad r4, r12, r9, r4\n\t"                                                                                        \
    "smlad r6, lr, r10, r6\n\t"                                                                                        \
    "smlad r6, r12, r11, r6\n\t"                                                                                       \
    "ldr r12, [r2], #4\n\t"                                                                                            \
    "sxtb16 lr, r12\n\t"                                                                                               \
    "sxtb16 r12, r12, ror #8\n\t"                                                                                      \
    "smlad r5, lr, r8, r5\n\t"                                                                                         \
    "smlad r5, r12, r9, r5\n\t"                                                                                        \
    "smlad r7, lr, r10, r7\n\t"                                                                                        \
    "smlad r7, r12, r11, r7\n\t"

/* Out of line: its caller's registers then survive it (one PUSH and one
 * POP) instead of being reloaded around an asm that clobbers them all. */
__attribute__((noinline)) static void fast_pair(fast_pair_t *f)
{
    register fast_pair_t *r0 __asm__("r0") = f;
    __asm__ volatile(
        "2:\n\t"
        "push {r0}\n\t"
        "ldr r1, [r0, %[w]]\n\t"
        "ldr r3, [r0, %[k]]\n\t"
        "add r2, r1, r3\n\t"
        "ldr r3, [r0, %[loops]]\n\t"
        "ldr r12, [r0, %[bias]]\n\t"
        "ldrd r4, r5, [r12], #8\n\t"
        "str r12, [r0, %[bias]]\n\t"
        "mov r6, r4\n\t"
        "mov r7, r5\n\t"
        "ldr r0, [r0, %[q]]\n\t"
        "cmp r3, #0\n\t"
        "beq 3f\n\t"
        "1:\n\t" FP_STEP_ FP_STEP_
        "subs r3, r3, #1\n\t"
        "bne 1b\n\t"
        /* k % 8: four taps more, then one by one (int16 column pairs). */
        "3:\n\t"
        "ldr r3, [sp]\n\t"
        "ldr r3, [r3, %[rest]]\n\t"
        "tst r3, #4\n\t"
        "beq 4f\n\t" FP_STEP_
        "4:\n\t"
        "ands r3, r3, #3\n\t"
        "beq 6f\n\t"
        "5:\n\t"
        "ldrsh r8, [r0], #2\n\t"
        "ldrsh r9, [r0], #2\n\t"
        "ldrsb r10, [r1], #1\n\t"
        "ldrsb r11, [r2], #1\n\t"
        "mla r4, r10, r8, r4\n\t"
        "mla r6, r10, r9, r6\n\t"
        "mla r5, r11, r8, r5\n\t"
        "mla r7, r11, r9, r7\n\t"
        "subs r3, r3, #1\n\t"
        "bne 5b\n\t"
        "6:\n\t"
        "pop {r0}\n\t"
        /* r2 ends at the row after channel 1's: the next pair's first. */
        "str r2, [r0, %[w]]\n\t"
        "ldr r3, [r0, %[output_offset]]\n\t"
        "ldrd r1, r2, [r0, %[out0]]\n\t" FP_CHANNEL_("0", "r4", "r6", "10", "11")
            FP_CHANNEL_("1", "r5", "r7", "12", "13")
        "strd r1, r2, [r0, %[out0]]\n\t"
        "ldr r12, [r0, %[rq]]\n\t"
        "add r12, r12, #32\n\t"
        "str r12, [r0, %[rq]]\n\t"
        "ldr r12, [r0, %[channel_pairs]]\n\t"
        "subs r12, r12, #1\n\t"
        "str r12, [r0, %[channel_pairs]]\n\t"
        "bne 2b\n\t"
        : "+r"(r0)
        : FP_(q), FP_(w), FP_(k), FP_(loops), FP_(rest), FP_(bias), FP_(rq), FP_(out0), FP_(output_offset),
          FP_(channel_pairs)
        : "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "lr", "cc", "memory");
}

/* Each channel's requantization for fast_pair, once per call, at the head
 * of the scratch: m, round_lo, round_hi, right (trt_dsp_rq), or m, L, 0, -1
 * without a right shift. */
static void rq_table(const trt_requant_t *quant, int32_t out_c, int32_t *t)
{
    int32_t c;
    for (c = 0; c < out_c; c++, t += 4)
    {
        const trt_dsp_rq_t r = trt_dsp_rq(quant->multiplier[c], quant->shift[c]);
        t[0] = r.multiplier;
        t[1] = r.smask != 0 ? (int32_t)r.round_lo : r.shift;
        t[2] = r.round_hi;
        t[3] = r.smask != 0 ? r.right : -1;
    }
}

/* Whether fast_pair takes the layer. */
static int fast_layer(const trt_conv_params_t *p, const trt_requant_t *quant, int32_t out_c, const int32_t *bias)
{
    return (out_c & 1) == 0 && quant->count == out_c && bias != NULL && p->act_min == -128 && p->act_max == 127;
}
#endif

void trt_conv_s8_dsp(const trt_ctx_t *ctx, const trt_conv_params_t *params, const trt_requant_t *quant,
                     const trt_dims_t *input_dims, const int8_t *input, const trt_dims_t *filter_dims,
                     const int8_t *filter, const trt_dims_t *bias_dims, const int32_t *bias,
                     const trt_dims_t *output_dims, int8_t *output)
{
    const trt_conv_params_t p = *params;
    const int32_t k = column_bytes(filter_dims);
    const int32_t out_c = output_dims->c;
    const int32_t pixels = output_dims->n * output_dims->h * output_dims->w;
    /* Scratch: fast_pair's table of 16 bytes per channel, the widened pair,
     * then the gathered columns (trt_conv_s8_dsp_scratch_size). */
    int32_t *q = (int32_t *)((int8_t *)ctx->buf + 16 * out_c);
    int8_t *cols = direct_columns(&p, filter_dims) ? NULL : (int8_t *)q + 4 * k;
#if TRT_DSP_NATIVE
    const int fast = fast_layer(&p, quant, out_c, bias);
    if (fast)
    {
        rq_table(quant, out_c, (int32_t *)ctx->buf);
    }
#endif
    int32_t p0;

    (void)bias_dims;
    for (p0 = 0; p0 < pixels; p0 += 2)
    {
        /* Both pixels are read before any output is written (in place, the
         * outputs land over them). An odd last pixel is computed twice, as
         * both columns of its pair. */
        const int32_t p1 = p0 + 1 < pixels ? p0 + 1 : p0;
        widen(column(&p, input_dims, input, filter_dims, output_dims, p0, cols),
              column(&p, input_dims, input, filter_dims, output_dims, p1, cols != NULL ? cols + k : NULL), k, q);
#if TRT_DSP_NATIVE
        if (fast)
        {
            fast_pair_t f;
            f.q = q;
            f.w = filter;
            f.k = k;
            f.loops = k >> 3;
            f.rest = k & 7;
            f.bias = bias;
            f.rq = (const int32_t *)ctx->buf;
            f.out0 = output + p0 * out_c;
            f.out1 = output + p1 * out_c;
            f.output_offset = p.output_offset;
            f.channel_pairs = out_c >> 1;
            fast_pair(&f);
            continue;
        }
#endif
        slow_pair(q, k, filter, bias, quant, &p, out_c, output + p0 * out_c, output + p1 * out_c);
    }
}
