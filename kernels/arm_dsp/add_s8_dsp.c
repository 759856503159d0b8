/*
 * ADD and SUB, int8, inputs of the output's shape (no broadcast).
 *
 * TFLM's AddFunc requantizes each input to a common scale, then the sum to
 * the output's. An int8 input takes 256 values, so each input's stage is a
 * table of 256 int32 built once per call in scratch (for SUB the second
 * table holds the negated values, which wrap as TFLM's difference does);
 * per element that leaves two loads, an add and the output's one-SMLAL
 * requantization (trt_dsp_rq_small). In place when output == input 1 (each
 * element is read before it is written).
 */
#include "dsp.h"

int32_t trt_add_s8_dsp_scratch_size(void)
{
    return 2 * 256 * (int32_t)sizeof(int32_t);
}

/* The scaled inputs are below 2^29 in magnitude (an int8 offset value
 * shifted by at most TRT_MAX_ADD_LEFT_SHIFT, times a multiplier of at most
 * one), so their sum stays below 2^30 and the one-SMLAL form fits the
 * output's requantization when its shift is <= 0. */
TRT_DSP_INLINE void add_loop(const trt_add_params_t *p, const int32_t *t1, const int32_t *t2, const int8_t *x1,
                             const int8_t *x2, int8_t *out, int32_t count, int small)
{
    const trt_dsp_rq_t qo = trt_dsp_rq(p->output_multiplier, p->output_shift);
    const int32_t offset = p->output_offset, act_min = p->act_min, act_max = p->act_max;
    int32_t i;

    for (i = 0; i < count; i++)
    {
        const int32_t sum = (int32_t)((uint32_t)t1[x1[i]] + (uint32_t)t2[x2[i]]);
        int32_t v = (small ? trt_dsp_rq_small(sum, &qo) : trt_dsp_rq_apply(sum, &qo)) + offset;
        v = v < act_min ? act_min : v;
        v = v > act_max ? act_max : v;
        out[i] = (int8_t)v;
    }
}

static void add_or_sub(const trt_ctx_t *ctx, const trt_add_params_t *p, const trt_dims_t *dims, const int8_t *x1,
                       const int8_t *x2, int8_t *out, int sub)
{
    const int32_t count = dims->n * dims->h * dims->w * dims->c;
    const trt_dsp_rq_t q1 = trt_dsp_rq(p->input1_multiplier, p->input1_shift);
    const trt_dsp_rq_t q2 = trt_dsp_rq(p->input2_multiplier, p->input2_shift);
    int32_t *t1 = (int32_t *)ctx->buf + 128; /* indexed by the int8 value */
    int32_t *t2 = t1 + 256;
    int32_t x;

    for (x = -128; x < 128; x++)
    {
        const int32_t s2 = trt_dsp_rq_small((x + p->input2_offset) << p->left_shift, &q2);
        t1[x] = trt_dsp_rq_small((x + p->input1_offset) << p->left_shift, &q1);
        t2[x] = sub ? (int32_t)(0u - (uint32_t)s2) : s2;
    }
    if (p->output_shift <= 0)
    {
        add_loop(p, t1, t2, x1, x2, out, count, 1);
    }
    else
    {
        add_loop(p, t1, t2, x1, x2, out, count, 0);
    }
}

void trt_add_s8_dsp(const trt_ctx_t *ctx, const trt_add_params_t *params, const trt_dims_t *dims,
                    const int8_t *input1, const int8_t *input2, int8_t *output)
{
    add_or_sub(ctx, params, dims, input1, input2, output, 0);
}

void trt_sub_s8_dsp(const trt_ctx_t *ctx, const trt_add_params_t *params, const trt_dims_t *dims,
                    const int8_t *input1, const int8_t *input2, int8_t *output)
{
    add_or_sub(ctx, params, dims, input1, input2, output, 1);
}
