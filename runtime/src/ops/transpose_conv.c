/* TRANSPOSE_CONV, int8, per-channel or per-tensor weights, optional bias,
 * through an int32 scratch sum per output element. */
#include "../internal.h"

/* The scratch does not overlap tensor t: the kernel clears and sums into it
 * while it still reads the input and before it writes the output. */
static int scratch_clear_of(const trt_op_desc_t *op, const trt_tensor_desc_t *t)
{
    const uint64_t scratch_end = (uint64_t)op->scratch_off + op->scratch_bytes;
    return t->storage == TRT_STORAGE_CONST || scratch_end <= t->offset ||
           op->scratch_off >= (uint64_t)t->offset + t->bytes;
}

static int32_t ceil_div(int32_t a, int32_t b)
{
    return (a + b - 1) / b;
}

trt_status_t trt_check_transpose_conv(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_tconv_params_t *p = (const trt_tconv_params_t *)trt_params(m, op);
    const trt_tensor_desc_t *in, *filter, *out;
    trt_dims_t di, df, dout;

    if (!trt_check_arity(op, 5, 1))
    {
        return TRT_ERR_OP_PARAMS;
    }
    in = trt_check_input(m, op, 0, TRT_TYPE_INT8);
    filter = trt_check_const(m, op, 1, TRT_TYPE_INT8);
    out = trt_check_output(m, op, 0, TRT_TYPE_INT8);
    if (in == NULL || filter == NULL || out == NULL || in->rank != 4 || filter->rank != 4 || out->rank != 4)
    {
        return TRT_ERR_OP_PARAMS;
    }
    di = trt_dims_of(in);
    df = trt_dims_of(filter);
    dout = trt_dims_of(out);
    if (!trt_between(p->stride_h, 1, TRT_MAX_WINDOW) || !trt_between(p->stride_w, 1, TRT_MAX_WINDOW) ||
        !trt_between(p->pad_top, 0, TRT_MAX_WINDOW) || !trt_between(p->pad_left, 0, TRT_MAX_WINDOW) ||
        !trt_between(p->input_offset, -127, 128) || !trt_between(p->output_offset, -128, 127) ||
        !trt_check_act(p->act_min, p->act_max) || !trt_between(df.h, 1, TRT_MAX_WINDOW) ||
        !trt_between(df.w, 1, TRT_MAX_WINDOW) || dout.n != di.n || df.n != dout.c || df.c != di.c)
    {
        return TRT_ERR_OP_PARAMS;
    }
    /* int32 sums in the arena: aligned, large enough, apart from the data. */
    if (op->scratch_off % 4 != 0 || op->scratch_bytes < (uint32_t)trt_tconv_s8_scratch_size(&dout) ||
        !scratch_clear_of(op, in) || !scratch_clear_of(op, out))
    {
        return TRT_ERR_OP_PARAMS;
    }
    /* An output element sums at most ceil(KH / stride_h) * ceil(KW / stride_w)
     * taps of Cin products: the rows ky of one output row are congruent
     * modulo the stride. */
    return trt_check_channels(m, op, dout.c,
                              (int64_t)ceil_div(df.h, p->stride_h) * ceil_div(df.w, p->stride_w) * df.c);
}

void trt_run_transpose_conv_ref(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_tensor_desc_t *mult = trt_input_desc(m, op, 3);
    trt_ctx_t ctx = trt_ctx(m, op);
    trt_requant_t q;
    trt_dims_t in_dims = trt_dims_of(trt_input_desc(m, op, 0));
    trt_dims_t f_dims = trt_dims_of(trt_input_desc(m, op, 1));
    trt_dims_t out_dims = trt_dims_of(trt_output_desc(m, op, 0));
    trt_dims_t b_dims;
    const int32_t *bias = (const int32_t *)trt_optional_data(m, op, 2);

    q.multiplier = (const int32_t *)trt_data(m, mult);
    q.shift = (const int32_t *)trt_input_data(m, op, 4);
    q.count = (int32_t)(mult->bytes / sizeof(int32_t));
    b_dims.n = b_dims.h = b_dims.w = 1;
    b_dims.c = bias != NULL ? out_dims.c : 0;
    trt_tconv_s8(&ctx, (const trt_tconv_params_t *)trt_params(m, op), &q, &in_dims,
                 (const int8_t *)trt_input_data(m, op, 0), &f_dims, (const int8_t *)trt_input_data(m, op, 1), &b_dims,
                 bias, &out_dims, (int8_t *)trt_output_data(m, op, 0));
}
