/*
 * ADD and SUB, int8, with broadcast: TFLM reference_integer_ops::Add and
 * BroadcastAdd6DSlow (both apply AddFunc per element); reference_ops::Sub
 * (SubElementwise) and BroadcastQuantSubSlow, the same arithmetic with the
 * scaled input 2 subtracted. One element function for both.
 */
#include "ref_internal.h"

static inline int8_t add_one(const trt_add_params_t *p, int8_t x1, int8_t x2, int sub)
{
    /* Both inputs to a common scale with left_shift bits of headroom... */
    const int32_t scaled1 =
        trt_ref_scaled_input(x1, p->input1_offset, p->left_shift, p->input1_multiplier, p->input1_shift);
    const int32_t scaled2 =
        trt_ref_scaled_input(x2, p->input2_offset, p->left_shift, p->input2_multiplier, p->input2_shift);
    /* ...then the sum (or difference: TFLM subtracts the rounded scaled2,
     * which negating its multiplier would not reproduce at exact halves) to
     * the output scale. */
    const int32_t sum = sub ? trt_wrap_sub_s32(scaled1, scaled2) : trt_wrap_add_s32(scaled1, scaled2);
    int32_t out = trt_mul_by_quantized_multiplier(sum, p->output_multiplier, p->output_shift);
    out = trt_wrap_add_s32(out, p->output_offset);
    out = out < p->act_min ? p->act_min : out;
    out = out > p->act_max ? p->act_max : out;
    return (int8_t)out;
}

static void add_row(const void *params, const int8_t *x1, int32_t step1, const int8_t *x2, int32_t step2,
                    int8_t *out, int32_t count)
{
    /* A local copy: the int8 stores could alias *params, which would make
     * every element reload it. */
    const trt_add_params_t p = *(const trt_add_params_t *)params;
    int32_t i;

    for (i = 0; i < count; i++)
    {
        out[i] = add_one(&p, x1[i * step1], x2[i * step2], 0);
    }
}

static void sub_row(const void *params, const int8_t *x1, int32_t step1, const int8_t *x2, int32_t step2,
                    int8_t *out, int32_t count)
{
    const trt_add_params_t p = *(const trt_add_params_t *)params;
    int32_t i;

    for (i = 0; i < count; i++)
    {
        out[i] = add_one(&p, x1[i * step1], x2[i * step2], 1);
    }
}

void trt_add_s8(const trt_ctx_t *ctx, const trt_add_params_t *params, const trt_dims_t *input1_dims,
                const int8_t *input1, const trt_dims_t *input2_dims, const int8_t *input2,
                const trt_dims_t *output_dims, int8_t *output)
{
    (void)ctx;
    trt_ref_broadcast(add_row, params, input1_dims, input1, input2_dims, input2, output_dims, output);
}

void trt_sub_s8(const trt_ctx_t *ctx, const trt_add_params_t *params, const trt_dims_t *input1_dims,
                const int8_t *input1, const trt_dims_t *input2_dims, const int8_t *input2,
                const trt_dims_t *output_dims, int8_t *output)
{
    (void)ctx;
    trt_ref_broadcast(sub_row, params, input1_dims, input1, input2_dims, input2, output_dims, output);
}
