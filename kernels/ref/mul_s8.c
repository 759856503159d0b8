/*
 * MUL, int8, with broadcast: TFLM reference_integer_ops::Mul and
 * BroadcastMul6DSlow (both apply the same per-element function).
 */
#include "ref_internal.h"

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

static void mul_row(const void *params, const int8_t *x1, int32_t step1, const int8_t *x2, int32_t step2,
                    int8_t *out, int32_t count)
{
    /* A local copy: the int8 stores could alias *params, which would make
     * every element reload it. */
    const trt_mul_params_t p = *(const trt_mul_params_t *)params;
    int32_t i;

    for (i = 0; i < count; i++)
    {
        out[i] = mul_one(&p, x1[i * step1], x2[i * step2]);
    }
}

void trt_mul_s8(const trt_ctx_t *ctx, const trt_mul_params_t *params, const trt_dims_t *input1_dims,
                const int8_t *input1, const trt_dims_t *input2_dims, const int8_t *input2,
                const trt_dims_t *output_dims, int8_t *output)
{
    (void)ctx;
    trt_ref_broadcast(mul_row, params, input1_dims, input1, input2_dims, input2, output_dims, output);
}
