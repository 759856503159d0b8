/* RESIZE_NEAREST_NEIGHBOR and RESIZE_BILINEAR, int8 NHWC: one kernel over a
 * constant table of source rows, columns and weights (input 1). */
#include "../internal.h"

static trt_status_t check_resize(const trt_model_t *m, const trt_op_desc_t *op, int nearest)
{
    const trt_tensor_desc_t *in, *table, *out;
    const int32_t *t;
    trt_dims_t di, dout;
    int32_t k, rows;

    if (!trt_check_arity(op, 2, 1))
    {
        return TRT_ERR_OP_PARAMS;
    }
    in = trt_check_input(m, op, 0, TRT_TYPE_INT8);
    table = trt_check_const(m, op, 1, TRT_TYPE_INT32);
    out = trt_check_output(m, op, 0, TRT_TYPE_INT8);
    if (in == NULL || table == NULL || out == NULL || in->rank != 4 || out->rank != 4)
    {
        return TRT_ERR_OP_PARAMS;
    }
    di = trt_dims_of(in);
    dout = trt_dims_of(out);
    rows = dout.h + dout.w;
    if (di.n != dout.n || di.c != dout.c || trt_elements(table) != 3 * (int64_t)rows)
    {
        return TRT_ERR_OP_PARAMS;
    }
    /* Every source row and column inside the input; weights in TFLM's range
     * (which keeps the int32 accumulator exact), zero for nearest neighbour. */
    t = (const int32_t *)trt_data(m, table);
    for (k = 0; k < rows; k++)
    {
        const int32_t size = k < dout.h ? di.h : di.w;
        const int32_t *r = t + 3 * k;
        if (!trt_between(r[0], 0, size - 1) || !trt_between(r[1], 0, size - 1) ||
            !trt_between(r[2], nearest ? 0 : -512, nearest ? 0 : 1023))
        {
            return TRT_ERR_OP_PARAMS;
        }
    }
    return TRT_OK;
}

trt_status_t trt_check_resize_nearest_neighbor(const trt_model_t *m, const trt_op_desc_t *op)
{
    return check_resize(m, op, 1);
}

trt_status_t trt_check_resize_bilinear(const trt_model_t *m, const trt_op_desc_t *op)
{
    return check_resize(m, op, 0);
}

static void run_resize(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_ctx_t ctx = trt_ctx(m, op);
    trt_dims_t in_dims = trt_dims_of(trt_input_desc(m, op, 0));
    trt_dims_t out_dims = trt_dims_of(trt_output_desc(m, op, 0));
    trt_resize_s8(&ctx, (const int32_t *)trt_input_data(m, op, 1), &in_dims, (const int8_t *)trt_input_data(m, op, 0),
                  &out_dims, (int8_t *)trt_output_data(m, op, 0));
}

void trt_run_resize_nearest_neighbor_ref(const trt_model_t *m, const trt_op_desc_t *op)
{
    run_resize(m, op);
}

void trt_run_resize_bilinear_ref(const trt_model_t *m, const trt_op_desc_t *op)
{
    run_resize(m, op);
}
