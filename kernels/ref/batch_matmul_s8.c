/*
 * BATCH_MATMUL, int8 x int8: TFLM reference_ops::BatchMatMul<int8_t,
 * int32_t> (FullyConnectedParams offsets, MultiplyByQuantizedMultiplier),
 * with batch broadcasting; adj_x / adj_y read through strides instead of
 * transposed copies (the sum is the same int32 value).
 */
#include "ref_internal.h"

void trt_batch_matmul_s8(const trt_ctx_t *ctx, const trt_batch_matmul_params_t *params, const trt_dims_t *lhs_dims,
                         const int8_t *lhs, const trt_dims_t *rhs_dims, const int8_t *rhs,
                         const trt_dims_t *output_dims, int8_t *output)
{
    const trt_batch_matmul_params_t p = *params;
    const int32_t rows = output_dims->w, cols = output_dims->c;
    const int32_t depth = p.adj_x ? lhs_dims->w : lhs_dims->c;
    /* Element strides: lhs (a, k) and rhs (k, c). */
    const int32_t lhs_a = p.adj_x ? 1 : depth, lhs_k = p.adj_x ? rows : 1;
    const int32_t rhs_k = p.adj_y ? 1 : cols, rhs_c = p.adj_y ? depth : 1;
    const int32_t lhs_matrix = lhs_dims->w * lhs_dims->c, rhs_matrix = rhs_dims->w * rhs_dims->c;
    int32_t bn, bh, a, c, k;
    int8_t *out = output;

    (void)ctx;
    for (bn = 0; bn < output_dims->n; bn++)
    {
        for (bh = 0; bh < output_dims->h; bh++)
        {
            /* A batch dim of 1 is broadcast. */
            const int8_t *l = lhs + ((lhs_dims->n == 1 ? 0 : bn) * lhs_dims->h + (lhs_dims->h == 1 ? 0 : bh)) *
                                        lhs_matrix;
            const int8_t *r = rhs + ((rhs_dims->n == 1 ? 0 : bn) * rhs_dims->h + (rhs_dims->h == 1 ? 0 : bh)) *
                                        rhs_matrix;
            for (a = 0; a < rows; a++)
            {
                for (c = 0; c < cols; c++)
                {
                    int32_t acc = 0;
                    int32_t v;
                    for (k = 0; k < depth; k++)
                    {
                        acc += (l[a * lhs_a + k * lhs_k] + p.lhs_offset) * (r[k * rhs_k + c * rhs_c] + p.rhs_offset);
                    }
                    v = trt_mul_by_quantized_multiplier(acc, p.multiplier, p.shift);
                    v = trt_wrap_add_s32(v, p.output_offset);
                    v = v < -128 ? -128 : v;
                    v = v > 127 ? 127 : v;
                    *out++ = (int8_t)v;
                }
            }
        }
    }
}
