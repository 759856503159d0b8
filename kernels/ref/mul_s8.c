/*
 * MUL, int8, with broadcast: TFLM reference_integer_ops::Mul and
 * BroadcastMul6DSlow (both apply the same per-element function).
 */
#include "tinyrt/fixedpoint.h"
#include "tinyrt/kernels.h"

/* Element strides of an NHWC tensor read at output coordinates: a dim of
 * extent 1 broadcasts, so it gets stride 0. */
static void broadcast_strides(const trt_dims_t *d, int32_t strides[4])
{
    strides[3] = d->c == 1 ? 0 : 1;
    strides[2] = d->w == 1 ? 0 : d->c;
    strides[1] = d->h == 1 ? 0 : d->w * d->c;
    strides[0] = d->n == 1 ? 0 : d->h * d->w * d->c;
}

static int8_t mul_one(const trt_mul_params_t *p, int8_t x1, int8_t x2)
{
    /* With the loader's offsets both factors lie in [-255, 255] and the
     * product is exact; wrapping keeps any other offsets defined. The
     * rescale's left shift may wrap, as TFLM's does. */
    const uint32_t f1 = (uint32_t)trt_wrap_add_s32(x1, p->input1_offset);
    const uint32_t f2 = (uint32_t)trt_wrap_add_s32(x2, p->input2_offset);
    const int32_t prod = trt_wrap_s32(f1 * f2);
    int32_t out = trt_mul_by_quantized_multiplier(prod, p->output_multiplier, p->output_shift);
    out = trt_wrap_add_s32(out, p->output_offset);
    out = out < p->act_min ? p->act_min : out;
    out = out > p->act_max ? p->act_max : out;
    return (int8_t)out;
}

void trt_mul_s8(const trt_ctx_t *ctx, const trt_mul_params_t *params, const trt_dims_t *input1_dims,
                const int8_t *input1, const trt_dims_t *input2_dims, const int8_t *input2,
                const trt_dims_t *output_dims, int8_t *output)
{
    int32_t s1[4];
    int32_t s2[4];
    int32_t n, h, w, c;

    (void)ctx;

    broadcast_strides(input1_dims, s1);
    broadcast_strides(input2_dims, s2);
    for (n = 0; n < output_dims->n; n++)
    {
        for (h = 0; h < output_dims->h; h++)
        {
            for (w = 0; w < output_dims->w; w++)
            {
                const int8_t *row1 = input1 + n * s1[0] + h * s1[1] + w * s1[2];
                const int8_t *row2 = input2 + n * s2[0] + h * s2[1] + w * s2[2];
                for (c = 0; c < output_dims->c; c++)
                {
                    *output++ = mul_one(params, row1[c * s1[3]], row2[c * s2[3]]);
                }
            }
        }
    }
}
