/*
 * CONV_2D, int8, ARMv7E-M DSP, four filter taps per step with SXTB16 +
 * SMLAD. On target every layer runs in assembly (fast_group): eight output
 * pixels by one output channel per pass, each step widening one filter word
 * and meeting it with eight pixels' column words (1 LDR, 2 SXTB16, 8 LDRD
 * and 16 SMLAD for 32 multiply-accumulates), a channel's bias and
 * requantization constants serving eight outputs. Off target the host build
 * runs the same arithmetic in C, two pixels by two channels per pass.
 *
 * The pixels' receptive fields (im2col columns of K = KH * KW * Cin bytes)
 * are widened once into int16 scratch, lanes in the order SXTB16 gives a
 * filter word, (x0, x2) then (x1, x3), so that the filter is read as int8
 * and widened on the fly with no reordering.
 *
 * The input offset is folded into the bias offline for every shape (see
 * trt_conv_s8_dsp in kernels.h): taps outside the image hold the input zero
 * point, whose offset-corrected value is 0, which is what TFLM's skipping
 * of them amounts to. So the inner loop multiplies raw input bytes.
 *
 * In place (1x1, stride 1, no padding, Cout <= Cin): a pass reads pixels
 * p .. p + n - 1 into scratch before it writes their outputs, which end at
 * (p + n) * Cout <= (p + n) * Cin, where pixel p + n starts.
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

/* Pixels per pass of fast_group. */
#define GROUP 8

int32_t trt_conv_s8_dsp_scratch_size(const trt_conv_params_t *params, const trt_dims_t *filter_dims)
{
    const int32_t k = column_bytes(filter_dims);
    /* fast_group's table of each channel's bias and requantization (20
     * bytes) and GROUP widened columns (the C path off target uses less);
     * plus one gathered int8 column unless the columns are input pixels. */
    return 20 * filter_dims->n + 2 * GROUP * k + (direct_columns(params, filter_dims) ? 0 : k);
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

/* A column of k bytes widened into slot `slot` of an n-pixel group at q:
 * per group of four bytes, the n pixels' (x0, x2) and (x1, x3) words in
 * turn; the k % 4 tail bytes after them as int16, the n pixels' per byte. */
static void widen(const int8_t *x, int32_t k, int32_t n, int32_t slot, int32_t *q)
{
    int16_t *tail = (int16_t *)(q + 2 * n * (k >> 2));
    int32_t *d = q + 2 * slot;
    int32_t g, i;

    for (g = k >> 2; g > 0; g--)
    {
        const int32_t a = trt_read32(x);
        d[0] = trt_sxtb16(a);
        d[1] = trt_sxtb16_ror8(a);
        x += 4;
        d += 2 * n;
    }
    for (i = 0; i < (k & 3); i++)
    {
        tail[n * i + slot] = x[i];
    }
}

static trt_dsp_rq_t channel_rq(const trt_requant_t *quant, int32_t channel)
{
    const int32_t q = quant->count == 1 ? 0 : channel;
    return trt_dsp_rq(quant->multiplier[q], quant->shift[q]);
}

#if !TRT_DSP_NATIVE
/* Off target, the same arithmetic in C, two pixels by two channels per pass
 * (fast_group's assembly is target-only). */
/* Four taps of channels 0 and 1 (filter rows *w0, *w1) at pixels 0 and 1
 * (widened column words *c), advancing the three pointers: acc[pixel][channel]. */
TRT_DSP_INLINE void mac_step(const int32_t **c, const int8_t **w0, const int8_t **w1, int32_t *a00, int32_t *a01,
                             int32_t *a10, int32_t *a11)
{
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

/* One pixel pair (widened columns q) over every channel pair. */
static void slow_pair(const int32_t *q, int32_t k, const int8_t *filter, const int32_t *bias,
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

#endif

#if TRT_DSP_NATIVE
/* The common case in assembly, where every register counts: GROUP pixels
 * (widened columns q) over every channel, one channel per pass. The step's
 * 14 live values (column pointer, filter pointer, a column pair, the split
 * filter word, eight accumulators) take r0-r12 and lr, so the arguments
 * come as one struct (advanced in memory) whose address, and the columns'
 * end, wait on the stack during the loop; the eight accumulators then wait
 * there while the channel's constants are in registers. A channel is
 * requantized by the form its shift takes (rq_table): with right = -shift - 1,
 * round_lo = 2^30 | 2^31 << right and round_hi = 1 << (right - 1), register
 * shifts of 32 or more (right = 0 gives an amount of 255) giving 0. */
typedef struct
{
    const int32_t *q;      /* the group's widened columns */
    const int32_t *q_end;  /* their filter words' end: q + 4 * (k - k % 4) words */
    int32_t rest;          /* k % 4: taps one by one after the words */
    const int8_t *w;       /* the next channel's filter row; advanced */
    const int32_t *rq;     /* the next channel's bias and requantization (rq_table); advanced */
    int8_t *out;           /* the next channel at the group's first pixel; advanced */
    int32_t out_c;         /* bytes between pixels' outputs */
    int32_t output_offset;
    int32_t valid;         /* the group's pixels that exist, 1..GROUP */
    int32_t channels;      /* >= 1; counted down */
} fast_group_t;

#define FG_(field) [field] "i"(offsetof(fast_group_t, field))
/* One pixel's column pair times the split filter word (r12, lr) into acc. */
#define FG_PIXEL_(acc)                                                                                                 \
    "ldrd r2, r3, [r0], #8\n\t"                                                                                        \
    "smlad " acc ", r12, r2, " acc "\n\t"                                                                              \
    "smlad " acc ", lr, r3, " acc "\n\t"
/* Four taps: one filter word, split into r12 and lr, times the eight
 * pixels' column pairs. */
#define FG_STEP_                                                                                                       \
    "ldr r12, [r1], #4\n\t"                                                                                           \
    "sxtb16 lr, r12, ror #8\n\t"                                                                                      \
    "sxtb16 r12, r12\n\t" FG_PIXEL_("r4") FG_PIXEL_("r5") FG_PIXEL_("r6") FG_PIXEL_("r7") FG_PIXEL_("r8")             \
        FG_PIXEL_("r9") FG_PIXEL_("r10") FG_PIXEL_("r11")
/* One pixel's int16 tail value times the filter byte r12 into acc. */
#define FG_TAP_(acc)                                                                                                   \
    "ldrsh r2, [r0], #2\n\t"                                                                                          \
    "mla " acc ", r12, r2, " acc "\n\t"
/* The channel's outputs, popped from r10: r1 the output (advanced by r2), r3
 * the output offset, r9 the count; r8, r12 and lr scratch. With a right
 * shift (r4 m, r5 round_lo, r6 round_hi, r7 right): */
#define FG_REQUANT_RIGHT_                                                                                              \
    "ldr r8, [r10], #4\n\t" TRT_DSP_RQ_RIGHT_ASM("r8", "r4", "r5", "r6", "r7", "r12", "lr")
/* Without one (r4 m, r5 the left shift L >= 0): v = ((acc << L) m + 2^30) >> 31
 * from the SMLAL's two words. */
#define FG_REQUANT_LEFT_                                                                                               \
    "ldr r8, [r10], #4\n\t"                                                                                            \
    "lsl r8, r8, r5\n\t"                                                                                               \
    "mov lr, #0x40000000\n\t"                                                                                          \
    "mov r12, #0\n\t"                                                                                                  \
    "smlal lr, r12, r8, r4\n\t"                                                                                        \
    "lsl r12, r12, #1\n\t"                                                                                             \
    "orr r12, r12, lr, lsr #31\n\t"
#define FG_STORE_                                                                                                      \
    "add r12, r12, r3\n\t"                                                                                             \
    "ssat r12, #8, r12\n\t"                                                                                            \
    "strb r12, [r1]\n\t"                                                                                               \
    "add r1, r1, r2\n\t"                                                                                               \
    "subs r9, r9, #1\n\t"

/* Out of line: its caller's registers then survive it (one PUSH and one
 * POP) instead of being reloaded around an asm that clobbers them all. */
__attribute__((noinline)) static void fast_group(fast_group_t *f)
{
    register fast_group_t *r0 __asm__("r0") = f;
    __asm__ volatile(
        "2:\n\t"
        "ldr r2, [r0, %[q_end]]\n\t"
        "push {r0, r2}\n\t"
        "ldr r12, [r0, %[rq]]\n\t"
        "ldr r4, [r12]\n\t"
        "mov r5, r4\n\t"
        "mov r6, r4\n\t"
        "mov r7, r4\n\t"
        "mov r8, r4\n\t"
        "mov r9, r4\n\t"
        "mov r10, r4\n\t"
        "mov r11, r4\n\t"
        "ldr r1, [r0, %[w]]\n\t"
        "ldr r0, [r0, %[q]]\n\t"
        /* Two steps per pass of the loop, entered at the second for an
         * odd count (a step reads 64 bytes of columns). */
        "subs r3, r2, r0\n\t"
        "beq 6f\n\t"
        "tst r3, #64\n\t"
        "bne 9f\n\t"
        "1:\n\t" FG_STEP_
        "9:\n\t" FG_STEP_
        "ldr r12, [sp, #4]\n\t"
        "cmp r0, r12\n\t"
        "bne 1b\n\t"
        /* k % 4 taps: a filter byte times the pixels' int16 tail values. */
        "6:\n\t"
        "ldr r3, [sp]\n\t"
        "ldr r3, [r3, %[rest]]\n\t"
        "cbz r3, 8f\n\t"
        "7:\n\t"
        "ldrsb r12, [r1], #1\n\t" FG_TAP_("r4") FG_TAP_("r5") FG_TAP_("r6") FG_TAP_("r7") FG_TAP_("r8") FG_TAP_("r9")
            FG_TAP_("r10") FG_TAP_("r11")
        "subs r3, r3, #1\n\t"
        "bne 7b\n\t"
        "8:\n\t"
        "pop {r0, r2}\n\t"
        /* r1 ends at the next channel's row. */
        "str r1, [r0, %[w]]\n\t"
        "push {r4-r11}\n\t"
        "mov r10, sp\n\t"
        "ldr r12, [r0, %[rq]]\n\t"
        "add r12, r12, #4\n\t"
        "ldm r12!, {r4-r7}\n\t"
        "str r12, [r0, %[rq]]\n\t"
        "ldr r1, [r0, %[out]]\n\t"
        "add r12, r1, #1\n\t"
        "str r12, [r0, %[out]]\n\t"
        "ldr r2, [r0, %[out_c]]\n\t"
        "ldr r3, [r0, %[output_offset]]\n\t"
        "ldr r9, [r0, %[valid]]\n\t"
        "cmp r7, #0\n\t"
        "blt 4f\n\t"
        "3:\n\t" FG_REQUANT_RIGHT_ FG_STORE_ "bne 3b\n\t"
        "b 5f\n\t"
        "4:\n\t" FG_REQUANT_LEFT_ FG_STORE_ "bne 4b\n\t"
        "5:\n\t"
        "add sp, sp, #32\n\t"
        "ldr r12, [r0, %[channels]]\n\t"
        "subs r12, r12, #1\n\t"
        "str r12, [r0, %[channels]]\n\t"
        "bne 2b\n\t"
        : "+r"(r0)
        : FG_(q), FG_(q_end), FG_(rest), FG_(w), FG_(rq), FG_(out), FG_(out_c), FG_(output_offset), FG_(valid),
          FG_(channels)
        : "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "lr", "cc", "memory");
}

/* Each channel's bias and requantization for fast_group, once per call, at
 * the head of the scratch: bias, m, round_lo, round_hi, right (trt_dsp_rq),
 * or bias, m, L, 0, -1 without a right shift. */
static void rq_table(const trt_requant_t *quant, const int32_t *bias, int32_t out_c, int32_t *t)
{
    int32_t c;
    for (c = 0; c < out_c; c++, t += 5)
    {
        const trt_dsp_rq_t r = channel_rq(quant, c);
        t[0] = bias != NULL ? bias[c] : 0;
        t[1] = r.multiplier;
        t[2] = r.smask != 0 ? (int32_t)r.round_lo : r.shift;
        t[3] = r.round_hi;
        t[4] = r.smask != 0 ? r.right : -1;
    }
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
    /* Scratch (trt_conv_s8_dsp_scratch_size): the table, the widened
     * columns, then the gathered column. */
    int32_t *q = (int32_t *)ctx->buf + 5 * out_c;
    int8_t *cols = direct_columns(&p, filter_dims) ? NULL : (int8_t *)q + 2 * GROUP * k;
    int32_t p0;

    (void)bias_dims;
#if TRT_DSP_NATIVE
    fast_group_t f;
    int32_t i;
    rq_table(quant, bias, out_c, (int32_t *)ctx->buf);
    f.q = q;
    f.q_end = q + 4 * (k - k % 4);
    f.rest = k % 4;
    f.out_c = out_c;
    f.output_offset = p.output_offset;
    for (p0 = 0; p0 < pixels; p0 += GROUP)
    {
        /* Every pixel of the group is read before any output is written
         * (in place, the outputs land over them); the slots past the last
         * pixel repeat it and are not stored. */
        for (i = 0; i < GROUP; i++)
        {
            const int32_t pi = p0 + i < pixels ? p0 + i : pixels - 1;
            widen(column(&p, input_dims, input, filter_dims, output_dims, pi, cols), k, GROUP, i, q);
        }
        f.w = filter;
        f.rq = (const int32_t *)ctx->buf;
        f.out = output + p0 * out_c;
        f.valid = trt_dsp_min(GROUP, pixels - p0);
        f.channels = out_c;
        fast_group(&f);
    }
    /* The assembly saturates to int8; a narrower activation range clamps
     * after it (the same values: the range lies inside int8's). */
    if (p.act_min != -128 || p.act_max != 127)
    {
        int8_t *o = output;
        int8_t *end = output + pixels * out_c;
        for (; o != end; o++)
        {
            *o = (int8_t)(*o < p.act_min ? p.act_min : *o > p.act_max ? p.act_max : *o);
        }
    }
#else
    for (p0 = 0; p0 < pixels; p0 += 2)
    {
        /* Both pixels are read before any output is written (in place, the
         * outputs land over them). An odd last pixel is computed twice, as
         * both columns of its pair. */
        const int32_t p1 = p0 + 1 < pixels ? p0 + 1 : p0;
        widen(column(&p, input_dims, input, filter_dims, output_dims, p0, cols), k, 2, 0, q);
        widen(column(&p, input_dims, input, filter_dims, output_dims, p1, cols), k, 2, 1, q);
        slow_pair(q, k, filter, bias, quant, &p, out_c, output + p0 * out_c, output + p1 * out_c);
    }
#endif
}
