/* Pieces shared by the reference kernels (private to kernels/ref). */
#ifndef TINYRT_REF_INTERNAL_H
#define TINYRT_REF_INTERNAL_H

#include "tinyrt/fixedpoint.h"
#include "tinyrt/kernels.h"

/* The epilogue of every accumulating kernel: TFLM's requantization of the
 * int32 accumulator (carried as uint32 so that it wraps without UB), the
 * output zero point, then the fused activation's clamp. */
static inline int8_t trt_ref_requantize(uint32_t acc, const trt_requant_t *quant, int32_t channel,
                                        int32_t output_offset, int32_t act_min, int32_t act_max)
{
    const int32_t q = quant->count == 1 ? 0 : channel;
    int32_t out = trt_mul_by_quantized_multiplier(trt_wrap_s32(acc), quant->multiplier[q], quant->shift[q]);
    out = trt_wrap_add_s32(out, output_offset);
    out = out < act_min ? act_min : out;
    out = out > act_max ? act_max : out;
    return (int8_t)out;
}

/* One depthwise output value before requantization: input channel ic of
 * batch b under the window of output pixel (oy, ox), filter channel oc.
 * Out-of-image taps are skipped, as TFLM does. Shared by the out-of-place
 * and in-place kernels so that they cannot disagree. */
static inline uint32_t trt_ref_dw_acc(const trt_conv_params_t *p, const trt_dims_t *in_dims, const int8_t *input,
                                      const trt_dims_t *f_dims, const int8_t *filter, const int32_t *bias, int32_t b,
                                      int32_t oy, int32_t ox, int32_t ic, int32_t oc)
{
    const int32_t in_y0 = oy * p->stride_h - p->pad_top;
    const int32_t in_x0 = ox * p->stride_w - p->pad_left;
    uint32_t acc = bias != NULL ? (uint32_t)bias[oc] : 0u;
    int32_t ky, kx;

    for (ky = 0; ky < f_dims->h; ky++)
    {
        const int32_t in_y = in_y0 + ky * p->dilation_h;
        if (in_y < 0 || in_y >= in_dims->h)
        {
            continue;
        }
        for (kx = 0; kx < f_dims->w; kx++)
        {
            const int32_t in_x = in_x0 + kx * p->dilation_w;
            if (in_x < 0 || in_x >= in_dims->w)
            {
                continue;
            }
            acc += (uint32_t)filter[(ky * f_dims->w + kx) * f_dims->c + oc] *
                   ((uint32_t)input[((b * in_dims->h + in_y) * in_dims->w + in_x) * in_dims->c + ic] +
                    (uint32_t)p->input_offset);
        }
    }
    return acc;
}

/* TFLM's input stage of int8 ADD, SUB and SQUARED_DIFFERENCE: the input
 * with its offset, shifted left by left_shift for headroom, times a
 * multiplier below one (MultiplyByQuantizedMultiplierSmallerThanOneExp). */
static inline int32_t trt_ref_scaled_input(int8_t x, int32_t offset, int32_t left_shift, int32_t multiplier,
                                           int32_t shift)
{
    return trt_mul_by_quantized_multiplier(trt_wrap_shl_s32(trt_wrap_add_s32(x, offset), left_shift), multiplier,
                                           shift);
}

/* One row of an element-wise op of two int8 inputs: out[i] from
 * x1[i * step1] and x2[i * step2] (a step of 0 broadcasts), i < count. */
typedef void (*trt_ref_row_fn_t)(const void *params, const int8_t *x1, int32_t step1, const int8_t *x2,
                                 int32_t step2, int8_t *out, int32_t count);

/* Element strides of an NHWC tensor read at output coordinates: a dim of
 * extent 1 broadcasts, so it gets stride 0. */
static inline void trt_ref_broadcast_strides(const trt_dims_t *d, int32_t strides[4])
{
    strides[3] = d->c == 1 ? 0 : 1;
    strides[2] = d->w == 1 ? 0 : d->c;
    strides[1] = d->h == 1 ? 0 : d->w * d->c;
    strides[0] = d->n == 1 ? 0 : d->h * d->w * d->c;
}

static inline int trt_ref_same_dims(const trt_dims_t *a, const trt_dims_t *b)
{
    return a->n == b->n && a->h == b->h && a->w == b->w && a->c == b->c;
}

/* An element-wise op over the output, NHWC, each input read at the output's
 * coordinates with broadcast (TFLM's elementwise and Broadcast*6DSlow loops
 * in one), a row of the innermost dim at a time; the whole tensor in one row
 * when nothing broadcasts. The kernel's row function has its element function
 * inlined: the pointer call costs once per row, not per element. */
static inline void trt_ref_broadcast(trt_ref_row_fn_t row, const void *params, const trt_dims_t *input1_dims,
                                     const int8_t *input1, const trt_dims_t *input2_dims, const int8_t *input2,
                                     const trt_dims_t *output_dims, int8_t *output)
{
    int32_t s1[4];
    int32_t s2[4];
    int32_t n, h, w;

    if (trt_ref_same_dims(input1_dims, output_dims) && trt_ref_same_dims(input2_dims, output_dims))
    {
        row(params, input1, 1, input2, 1, output,
            output_dims->n * output_dims->h * output_dims->w * output_dims->c);
        return;
    }
    trt_ref_broadcast_strides(input1_dims, s1);
    trt_ref_broadcast_strides(input2_dims, s2);
    for (n = 0; n < output_dims->n; n++)
    {
        for (h = 0; h < output_dims->h; h++)
        {
            for (w = 0; w < output_dims->w; w++)
            {
                row(params, input1 + n * s1[0] + h * s1[1] + w * s1[2], s1[3],
                    input2 + n * s2[0] + h * s2[1] + w * s2[2], s2[3], output, output_dims->c);
                output += output_dims->c;
            }
        }
    }
}

#endif /* TINYRT_REF_INTERNAL_H */
