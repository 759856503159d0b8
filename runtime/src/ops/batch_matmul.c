/* BATCH_MATMUL, int8 x int8 (both activations or a constant RHS), batch dims
 * broadcast, adj_x / adj_y. */
#include "../internal.h"

/* One batch dim of the output: equal to both inputs' or broadcast from 1. */
static int batch_dim_ok(int32_t out, int32_t lhs, int32_t rhs)
{
    return (lhs == out || lhs == 1) && (rhs == out || rhs == 1) && (lhs == out || rhs == out);
}

trt_status_t trt_check_batch_matmul(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_batch_matmul_params_t *p = (const trt_batch_matmul_params_t *)trt_params(m, op);
    const trt_tensor_desc_t *lhs, *rhs, *out;
    trt_dims_t dl, dr, d;
    int32_t rows, depth, depth_rhs, cols;

    if (!trt_check_arity(op, 2, 1))
    {
        return TRT_ERR_OP_PARAMS;
    }
    lhs = trt_check_input(m, op, 0, TRT_TYPE_INT8);
    rhs = trt_check_input(m, op, 1, TRT_TYPE_INT8);
    out = trt_check_output(m, op, 0, TRT_TYPE_INT8);
    if (lhs == NULL || rhs == NULL || out == NULL || lhs->rank < 2 || rhs->rank < 2 || out->rank < 2 ||
        !trt_between(p->adj_x, 0, 1) || !trt_between(p->adj_y, 0, 1) || !trt_between(p->lhs_offset, -127, 128) ||
        !trt_between(p->rhs_offset, -127, 128) || !trt_between(p->output_offset, -128, 127) ||
        !trt_check_requant(p->multiplier, p->shift))
    {
        return TRT_ERR_OP_PARAMS;
    }
    dl = trt_dims_of(lhs);
    dr = trt_dims_of(rhs);
    d = trt_dims_of(out);
    rows = p->adj_x ? dl.c : dl.w;
    depth = p->adj_x ? dl.w : dl.c;
    depth_rhs = p->adj_y ? dr.c : dr.w;
    cols = p->adj_y ? dr.w : dr.c;
    if (depth != depth_rhs || depth > TRT_MAX_DOT_DEPTH || d.w != rows || d.c != cols || !batch_dim_ok(d.n, dl.n, dr.n) ||
        !batch_dim_ok(d.h, dl.h, dr.h))
    {
        return TRT_ERR_OP_PARAMS;
    }
    return TRT_OK;
}

void trt_run_batch_matmul_ref(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_ctx_t ctx = trt_ctx(m, op);
    trt_dims_t lhs_dims = trt_dims_of(trt_input_desc(m, op, 0));
    trt_dims_t rhs_dims = trt_dims_of(trt_input_desc(m, op, 1));
    trt_dims_t out_dims = trt_dims_of(trt_output_desc(m, op, 0));
    trt_batch_matmul_s8(&ctx, (const trt_batch_matmul_params_t *)trt_params(m, op), &lhs_dims,
                        (const int8_t *)trt_input_data(m, op, 0), &rhs_dims, (const int8_t *)trt_input_data(m, op, 1),
                        &out_dims, (int8_t *)trt_output_data(m, op, 0));
}
