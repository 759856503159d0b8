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
    /* Two widened columns, plus the two gathered int8 columns they come
     * from unless the columns are input pixels. */
    return 4 * k + (direct_columns(params, filter_dims) ? 0 : 2 * k);
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
    int32_t ky, kx;

    if (col == NULL)
    {
        return image + (y0 * in_dims->w + x0) * in_c;
    }
    for (ky = 0; ky < f_dims->h; ky++)
    {
        const int32_t y = y0 + ky * p->dilation_h;
        for (kx = 0; kx < f_dims->w; kx++)
        {
            const int32_t x = x0 + kx * p->dilation_w;
            if (y >= 0 && y < in_dims->h && x >= 0 && x < in_dims->w)
            {
                memcpy(dst, image + (y * in_dims->w + x) * in_c, (size_t)in_c);
            }
            else
            {
                memset(dst, -p->input_offset, (size_t)in_c);
            }
            dst += in_c;
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

static trt_dsp_rq_t channel_rq(const trt_requant_t *quant, int32_t channel)
{
    const int32_t q = quant->count == 1 ? 0 : channel;
    return trt_dsp_rq(quant->multiplier[q], quant->shift[q]);
}

static inline int8_t clamp(int32_t v, const trt_conv_params_t *p)
{
    v = v < p->act_min ? p->act_min : v;
    v = v > p->act_max ? p->act_max : v;
    return (int8_t)v;
}

/* One channel's outputs at the two pixels; the shift's form is tested once. */
TRT_DSP_INLINE void requantize_pair(int32_t acc0, int32_t acc1, const trt_dsp_rq_t *rq, const trt_conv_params_t *p,
                                    int8_t *out0, int8_t *out1)
{
    int32_t v0, v1;
    if (rq->right >= 0)
    {
        v0 = trt_dsp_rq_right(acc0, rq);
        v1 = trt_dsp_rq_right(acc1, rq);
    }
    else
    {
        v0 = trt_dsp_rq_apply(acc0, rq);
        v1 = trt_dsp_rq_apply(acc1, rq);
    }
    *out0 = clamp(trt_wrap_add_s32(v0, p->output_offset), p);
    *out1 = clamp(trt_wrap_add_s32(v1, p->output_offset), p);
}

void trt_conv_s8_dsp(const trt_ctx_t *ctx, const trt_conv_params_t *params, const trt_requant_t *quant,
                     const trt_dims_t *input_dims, const int8_t *input, const trt_dims_t *filter_dims,
                     const int8_t *filter, const trt_dims_t *bias_dims, const int32_t *bias,
                     const trt_dims_t *output_dims, int8_t *output)
{
    const trt_conv_params_t p = *params;
    const int32_t k = column_bytes(filter_dims);
    const int32_t out_c = output_dims->c;
    const int32_t pixels = output_dims->n * output_dims->h * output_dims->w;
    int32_t *q = (int32_t *)ctx->buf;
    int8_t *cols = direct_columns(&p, filter_dims) ? NULL : (int8_t *)ctx->buf + 4 * k;
    int32_t px, oc;

    (void)bias_dims;
    for (px = 0; px < pixels; px += 2)
    {
        /* An odd last pixel is computed twice, as both columns. */
        const int32_t px1 = px + 1 < pixels ? px + 1 : px;
        int8_t *out0 = output + px * out_c;
        int8_t *out1 = output + px1 * out_c;
        widen(column(&p, input_dims, input, filter_dims, output_dims, px, cols),
              column(&p, input_dims, input, filter_dims, output_dims, px1, cols != NULL ? cols + k : NULL), k, q);
        for (oc = 0; oc < out_c; oc += 2)
        {
            /* Likewise an odd last channel. */
            const int32_t oc1 = oc + 1 < out_c ? oc + 1 : oc;
            const trt_dsp_rq_t rq0 = channel_rq(quant, oc);
            const trt_dsp_rq_t rq1 = channel_rq(quant, oc1);
            const int8_t *w0 = filter + oc * k;
            const int8_t *w1 = filter + oc1 * k;
            const int32_t *c = q;
            const int16_t *tail;
            int32_t a00 = bias != NULL ? bias[oc] : 0; /* pixel 0, channel 0 */
            int32_t a01 = bias != NULL ? bias[oc1] : 0;
            int32_t a10 = a00;
            int32_t a11 = a01;
            int32_t g, i;

            for (g = k >> 2; g > 0; g--)
            {
                const int32_t x0l = c[0], x0h = c[1], x1l = c[2], x1h = c[3];
                int32_t w = trt_read32(w0);
                int32_t wl = trt_sxtb16(w);
                int32_t wh = trt_sxtb16_ror8(w);
                a00 = trt_smlad(wl, x0l, a00);
                a00 = trt_smlad(wh, x0h, a00);
                a10 = trt_smlad(wl, x1l, a10);
                a10 = trt_smlad(wh, x1h, a10);
                w = trt_read32(w1);
                wl = trt_sxtb16(w);
                wh = trt_sxtb16_ror8(w);
                a01 = trt_smlad(wl, x0l, a01);
                a01 = trt_smlad(wh, x0h, a01);
                a11 = trt_smlad(wl, x1l, a11);
                a11 = trt_smlad(wh, x1h, a11);
                c += 4;
                w0 += 4;
                w1 += 4;
            }
            tail = (const int16_t *)c;
            for (i = 0; i < (k & 3); i++)
            {
                a00 += w0[i] * tail[2 * i];
                a10 += w0[i] * tail[2 * i + 1];
                a01 += w1[i] * tail[2 * i];
                a11 += w1[i] * tail[2 * i + 1];
            }
            requantize_pair(a00, a10, &rq0, &p, out0 + oc, out1 + oc);
            requantize_pair(a01, a11, &rq1, &p, out0 + oc1, out1 + oc1);
        }
    }
}
