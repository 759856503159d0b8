/*
 * DEPTHWISE_CONV_2D with the DSP instructions: what the generic and the 3x3
 * kernels (dwconv_s8_dsp.c, dwconv_s8_dsp_3x3.c) and their in-place forms
 * share. Private to kernels/arm_dsp.
 *
 * Four input channels at once: one 32-bit read of a pixel's channels
 * cb..cb+3, SXTB16 splits it into lanes (cb, cb+2) and (cb+1, cb+3), and
 * SMLABB/SMLATT add each lane's product to that channel's own accumulator
 * (SMLAD would sum two channels; pairing two taps of one channel instead
 * costs the same PKH repacking as the second multiply it saves).
 *
 * The converter lays the constants out (tinyrt/layout.py):
 *  - filter: per multiplier m, per group of four input channels, every tap's
 *    four weights of output channels (cb + k) * depth_multiplier + m, taps in
 *    row-major order; a last group of n = C % 4 channels keeps n bytes per
 *    tap (the layout is exactly as large as the filter). That group reads
 *    the pixel's last four channels C - 4 .. C - 1 and the weight word that
 *    ends on its n bytes: lanes below 4 - n pair an earlier group's inputs
 *    with other weights and are dropped, so C >= 4 is required.
 *  - bias: present, with input_offset * sum(filter) added, so the loop over
 *    a window inside the image adds no offset. A window reaching into the
 *    padding runs TFLM's sum instead: its in-image taps with the offset
 *    added, on the bias less the fold (computed once per channel group).
 *    Both equal sum(w * x) + input_offset * sum(w) with padding read as the
 *    zero point (-input_offset), which is what the fold assumes.
 * Requantization: trt_dsp_rq_right / trt_dsp_rq_apply (dsp.h).
 */
#ifndef TINYRT_DWCONV_S8_DSP_H
#define TINYRT_DWCONV_S8_DSP_H

#if defined(__GNUC__) && !defined(__clang__)
/* GCC's scheduling before register allocation moves a window's loads ahead
 * of its multiplies and then spills the accumulators. */
#pragma GCC optimize("no-schedule-insns")
#endif
#include "dsp.h"

#if defined(__GNUC__)
#define TRT_DW_INLINE static inline __attribute__((always_inline))
#else
#define TRT_DW_INLINE static inline
#endif

/* The op's shape, batch-independent. */
typedef struct
{
    int32_t in_h, in_w, in_c;
    int32_t out_h, out_w;
    int32_t kh, kw;
    int32_t stride_h, stride_w, pad_top, pad_left, dil_h, dil_w;
    int32_t row_step, col_step; /* bytes between taps: dilation_h * in_w * in_c, dilation_w * in_c */
    int32_t offset;             /* input_offset in both halfwords */
    int32_t output_offset, act_min, act_max;
} trt_dw_shape_t;

/* One channel group: its weights, its four lanes' bias and requantization,
 * where its outputs go (lane k of pixel p at dst + p * px_stride +
 * k * lane_stride) and its first stored lane k0. */
typedef struct
{
    const int8_t *w;
    int32_t w_step;
    int32_t k0;
    int32_t bias[4];        /* folded: a window inside the image */
    int32_t border_bias[4]; /* unfolded: a window reaching into the padding */
    trt_dsp_rq_t rq[4];
    int32_t px_stride, lane_stride;
} trt_dw_group_t;

/* One tap of four channels: input word x, weights already split into the
 * halfword lanes (w0, w2) and (w1, w3). */
TRT_DW_INLINE void trt_dw_tap_ext(int32_t x, int32_t we, int32_t wo, int32_t acc[4])
{
    const int32_t xe = trt_sxtb16(x), xo = trt_sxtb16_ror8(x);
    acc[0] = trt_smlabb(xe, we, acc[0]);
    acc[2] = trt_smlatt(xe, we, acc[2]);
    acc[1] = trt_smlabb(xo, wo, acc[1]);
    acc[3] = trt_smlatt(xo, wo, acc[3]);
}

TRT_DW_INLINE void trt_dw_tap(int32_t x, int32_t w, int32_t acc[4])
{
    trt_dw_tap_ext(x, trt_sxtb16(w), trt_sxtb16_ror8(w), acc);
}

/* Pixels whose accumulators are kept before they are requantized lane by
 * lane, each lane's constants then staying in registers. */
#define TRT_DW_CHUNK 16

/* Lane k of n pixels' accumulators (acc[4 * i + k]) to dst + i * px_stride
 * + k * lane_stride. */
static void trt_dw_requant_lane(const trt_dw_shape_t *s, const trt_dw_group_t *g, const int32_t *acc, int32_t n,
                                int k, int8_t *dst)
{
    const trt_dsp_rq_t q = g->rq[k];
    const int32_t offset = s->output_offset, lo = s->act_min, hi = s->act_max, stride = g->px_stride;
    const int32_t *a = acc + k;
    const int32_t *end = a + 4 * n;

    dst += k * g->lane_stride;
    if (lo == -128 && hi == 127 && q.smask != 0)
    {
        /* No activation, a right shift (the usual case): one saturation,
         * and no test of the shift's form. */
        for (; a != end; a += 4, dst += stride)
        {
            *dst = (int8_t)trt_ssat8(trt_dsp_rq_right(*a, &q) + offset);
        }
        return;
    }
    if (lo == -128 && hi == 127)
    {
        for (; a != end; a += 4, dst += stride)
        {
            *dst = (int8_t)trt_ssat8(trt_dsp_rq_apply(*a, &q) + offset);
        }
        return;
    }
    for (; a != end; a += 4, dst += stride)
    {
        int32_t v = trt_dsp_rq_apply(*a, &q) + offset;
        v = v < lo ? lo : v;
        *dst = (int8_t)(v > hi ? hi : v);
    }
}

/* The stored lanes (k0 .. 3) of n pixels. */
static void trt_dw_requant(const trt_dw_shape_t *s, const trt_dw_group_t *g, const int32_t *acc, int32_t n,
                           int8_t *dst)
{
    int k;
    for (k = g->k0; k < 4; k++)
    {
        trt_dw_requant_lane(s, g, acc, n, k, dst);
    }
}

/* n consecutive 3x3 windows inside the image, `step` bytes apart from x:
 * their accumulators to c (4 per window). */
TRT_DW_INLINE void trt_dw_run_3x3(const int8_t *x, int32_t step, int32_t n, int32_t c1, int32_t r1,
                                  const int32_t *wext, const int32_t *bias, int32_t *c)
{
    for (; n > 0; n--, x += step, c += 4)
    {
        const int8_t *p = x;
        int32_t acc[4];
        acc[0] = bias[0];
        acc[1] = bias[1];
        acc[2] = bias[2];
        acc[3] = bias[3];
        trt_dw_tap_ext(trt_read32(p), wext[0], wext[1], acc);
        p += c1;
        trt_dw_tap_ext(trt_read32(p), wext[2], wext[3], acc);
        p += c1;
        trt_dw_tap_ext(trt_read32(p), wext[4], wext[5], acc);
        p += r1;
        trt_dw_tap_ext(trt_read32(p), wext[6], wext[7], acc);
        p += c1;
        trt_dw_tap_ext(trt_read32(p), wext[8], wext[9], acc);
        p += c1;
        trt_dw_tap_ext(trt_read32(p), wext[10], wext[11], acc);
        p += r1;
        trt_dw_tap_ext(trt_read32(p), wext[12], wext[13], acc);
        p += c1;
        trt_dw_tap_ext(trt_read32(p), wext[14], wext[15], acc);
        p += c1;
        trt_dw_tap_ext(trt_read32(p), wext[16], wext[17], acc);
        c[0] = acc[0];
        c[1] = acc[1];
        c[2] = acc[2];
        c[3] = acc[3];
    }
}

/* Every output pixel of one batch for one channel group. `in` is the
 * batch's input at channel cb. `three`: a 3x3 filter, its window unrolled
 * on weights extended once per plane (constant where the caller inlines). */
TRT_DW_INLINE void trt_dw_plane(const trt_dw_shape_t *s, const trt_dw_group_t *g, const int8_t *in, int8_t *dst,
                                int three)
{
    const int32_t span_h = (s->kh - 1) * s->dil_h;
    const int32_t span_w = (s->kw - 1) * s->dil_w;
    const int32_t w_step = g->w_step;
    int32_t chunk[4 * TRT_DW_CHUNK];
    int32_t *c = chunk;
    /* A 3x3 window's weights, extended to halfword lanes once per plane. */
    int32_t wext[18];
    int32_t oy, ox;
    /* The output columns whose windows lie inside the image horizontally. */
    int32_t ox_lo = 0, ox_hi = s->out_w;

    while (ox_lo < s->out_w && ox_lo * s->stride_w - s->pad_left < 0)
    {
        ox_lo++;
    }
    while (ox_hi > ox_lo && (ox_hi - 1) * s->stride_w - s->pad_left + span_w >= s->in_w)
    {
        ox_hi--;
    }

    if (three)
    {
        /* A tail group's words start k0 bytes early, as in the loops below:
         * its dropped lanes are never stored. */
        int t;
        for (t = 0; t < 9; t++)
        {
            const int32_t wv = trt_read32(g->w + g->w_step * t);
            wext[2 * t] = trt_sxtb16(wv);
            wext[2 * t + 1] = trt_sxtb16_ror8(wv);
        }
    }

    for (oy = 0; oy < s->out_h; oy++)
    {
        const int32_t iy0 = oy * s->stride_h - s->pad_top;
        const int row_inside = iy0 >= 0 && iy0 + span_h < s->in_h;
        /* The filter rows inside the image, for the windows of this row
         * that reach into the padding. */
        int32_t ky0 = 0, ky1 = s->kh;
        while (ky0 < ky1 && iy0 + ky0 * s->dil_h < 0)
        {
            ky0++;
        }
        while (ky1 > ky0 && iy0 + (ky1 - 1) * s->dil_h >= s->in_h)
        {
            ky1--;
        }
        ox = 0;
        while (ox < s->out_w)
        {
            const int32_t ix0 = ox * s->stride_w - s->pad_left;
            const int8_t *w = g->w;
            int32_t acc[4];
            int32_t ky, kx;

            /* 3x3 windows inside the image go as runs (one copy of the unrolled window). */
            const int run = three && row_inside && ox >= ox_lo && ox < ox_hi;

            if (run)
            {
                /* A run of 3x3 windows inside the image, to the run's end
                 * or the chunk's. */
                int32_t n = ox_hi - ox;
                const int32_t room = (int32_t)(chunk + 4 * TRT_DW_CHUNK - c) / 4;
                n = n < room ? n : room;
                trt_dw_run_3x3(in + (iy0 * s->in_w + ix0) * s->in_c, s->stride_w * s->in_c, n, s->col_step,
                               s->row_step - 2 * s->col_step, wext, g->bias, c);
                c += 4 * n;
                ox += n;
            }
            else if (!three && row_inside && ix0 >= 0 && ix0 + span_w < s->in_w)
            {
                acc[0] = g->bias[0];
                acc[1] = g->bias[1];
                acc[2] = g->bias[2];
                acc[3] = g->bias[3];
                /* The whole window is in the image: no checks. */
                const int8_t *x = in + (iy0 * s->in_w + ix0) * s->in_c;
                for (ky = 0; ky < s->kh; ky++)
                {
                    const int8_t *xr = x;
                    for (kx = 0; kx < s->kw; kx++)
                    {
                        trt_dw_tap(trt_read32(xr), trt_read32(w), acc);
                        xr += s->col_step;
                        w += w_step;
                    }
                    x += s->row_step;
                }
            }
            else
            {
                /* A window reaching into the padding: its in-image taps
                 * only, each with the input offset added, on the bias
                 * without the fold (TFLM's own sum: no checks per tap). */
                int32_t kx0 = 0, kx1 = s->kw;
                while (kx0 < kx1 && ix0 + kx0 * s->dil_w < 0)
                {
                    kx0++;
                }
                while (kx1 > kx0 && ix0 + (kx1 - 1) * s->dil_w >= s->in_w)
                {
                    kx1--;
                }
                acc[0] = g->border_bias[0];
                acc[1] = g->border_bias[1];
                acc[2] = g->border_bias[2];
                acc[3] = g->border_bias[3];
                if (kx0 < kx1 && ky0 < ky1)
                {
                    const int8_t *x =
                        in + ((iy0 + ky0 * s->dil_h) * s->in_w + ix0 + kx0 * s->dil_w) * s->in_c;
                    w += (ky0 * s->kw + kx0) * w_step;
                    for (ky = ky0; ky < ky1; ky++)
                    {
                        const int8_t *xr = x;
                        const int8_t *wr = w;
                        for (kx = kx0; kx < kx1; kx++)
                        {
                            const int32_t xv = trt_read32(xr);
                            /* A 3x3 window's weights are extended already. */
                            const int32_t wv = three ? 0 : trt_read32(wr);
                            const int32_t we = three ? wext[2 * (3 * ky + kx)] : trt_sxtb16(wv);
                            const int32_t wo = three ? wext[2 * (3 * ky + kx) + 1] : trt_sxtb16_ror8(wv);
                            const int32_t xe = trt_sadd16(trt_sxtb16(xv), s->offset);
                            const int32_t xo = trt_sadd16(trt_sxtb16_ror8(xv), s->offset);
                            acc[0] = trt_smlabb(xe, we, acc[0]);
                            acc[2] = trt_smlatt(xe, we, acc[2]);
                            acc[1] = trt_smlabb(xo, wo, acc[1]);
                            acc[3] = trt_smlatt(xo, wo, acc[3]);
                            xr += s->col_step;
                            wr += w_step;
                        }
                        x += s->row_step;
                        w += s->kw * w_step;
                    }
                }
            }
            if (!run)
            {
                c[0] = acc[0];
                c[1] = acc[1];
                c[2] = acc[2];
                c[3] = acc[3];
                c += 4;
                ox++;
            }
            if (c == chunk + 4 * TRT_DW_CHUNK)
            {
                trt_dw_requant(s, g, chunk, TRT_DW_CHUNK, dst);
                dst += TRT_DW_CHUNK * g->px_stride;
                c = chunk;
            }
        }
    }
    trt_dw_requant(s, g, chunk, (int32_t)(c - chunk) / 4, dst);
}

/* The whole op: out of place (data = NULL: input to output), or in place
 * (input == output == data, depth multiplier 1) through ctx's scratch of
 * 4 * out_h * out_w bytes, one group's plane before it replaces that
 * group's channels (the aliasing of trt_dwconv_s8_inplace, four channels at
 * a time). `three` as for trt_dw_plane. */
TRT_DW_INLINE void trt_dw_run(const trt_ctx_t *ctx, const trt_conv_params_t *p, const trt_requant_t *quant,
                              const trt_dims_t *in_dims, const int8_t *input, const trt_dims_t *f_dims,
                              const int8_t *filter, const int32_t *bias, const trt_dims_t *out_dims, int8_t *output,
                              int inplace, int three)
{
    const int32_t dm = p->depth_multiplier;
    const int32_t c = in_dims->c;
    const int32_t taps = f_dims->h * f_dims->w;
    const int32_t in_plane = in_dims->h * in_dims->w;
    const int32_t out_plane = out_dims->h * out_dims->w;
    const int32_t groups = (c + 3) / 4;
    trt_dw_shape_t s;
    trt_dw_group_t g;
    int32_t m, gi, b, k, px, t;

    s.in_h = in_dims->h;
    s.in_w = in_dims->w;
    s.in_c = c;
    s.out_h = out_dims->h;
    s.out_w = out_dims->w;
    s.kh = f_dims->h;
    s.kw = f_dims->w;
    s.stride_h = p->stride_h;
    s.stride_w = p->stride_w;
    s.pad_top = p->pad_top;
    s.pad_left = p->pad_left;
    s.dil_h = p->dilation_h;
    s.dil_w = p->dilation_w;
    s.row_step = p->dilation_h * in_dims->w * c;
    s.col_step = p->dilation_w * c;
    s.offset = (int32_t)((uint32_t)(uint16_t)p->input_offset * 0x00010001u);
    s.output_offset = p->output_offset;
    s.act_min = p->act_min;
    s.act_max = p->act_max;
    g.px_stride = inplace ? 4 : out_dims->c;
    g.lane_stride = inplace ? 1 : dm;

    for (m = 0; m < dm; m++)
    {
        for (gi = 0; gi < groups; gi++)
        {
            const int32_t n = gi * 4 + 4 <= c ? 4 : c - gi * 4;
            const int32_t cb = gi * 4 + n - 4;
            g.k0 = 4 - n;
            g.w_step = n;
            g.w = filter + (m * c + gi * 4) * taps - g.k0;
            for (k = 0; k < 4; k++)
            {
                const int32_t oc = (cb + k) * dm + m;
                const int32_t q = quant->count == 1 ? 0 : oc;
                g.bias[k] = bias[oc];
                g.border_bias[k] = bias[oc];
                g.rq[k] = trt_dsp_rq(quant->multiplier[q], quant->shift[q]);
            }
            /* border_bias = bias - input_offset * sum(w) per lane (the
             * dropped lanes' sums are of other weights: unused). */
            for (t = 0; t < taps; t++)
            {
                const uint32_t wv = (uint32_t)trt_read32(g.w + t * n);
                for (k = 0; k < 4; k++)
                {
                    g.border_bias[k] = (int32_t)((uint32_t)g.border_bias[k] -
                                                 (uint32_t)p->input_offset * (uint32_t)(int8_t)(uint8_t)(wv >> (8 * k)));
                }
            }
            for (b = 0; b < out_dims->n; b++)
            {
                const int8_t *in = input + b * in_plane * c + cb;
                int8_t *dst = inplace ? (int8_t *)ctx->buf : output + b * out_plane * out_dims->c + cb * dm + m;
                trt_dw_plane(&s, &g, in, dst, three);
                if (!inplace)
                {
                    continue;
                }
                /* Output pixel b * out_plane + px lands on an input pixel of
                 * a batch <= b whose group channels this plane has read. */
                for (px = 0; px < out_plane; px++)
                {
                    const int8_t *from = (const int8_t *)ctx->buf + px * 4;
                    int8_t *to = output + (b * out_plane + px) * c + cb;
                    if (n == 4)
                    {
                        trt_write32(to, trt_read32(from));
                    }
                    else
                    {
                        for (k = g.k0; k < 4; k++)
                        {
                            to[k] = from[k];
                        }
                    }
                }
            }
        }
    }
}

#endif /* TINYRT_DWCONV_S8_DSP_H */
