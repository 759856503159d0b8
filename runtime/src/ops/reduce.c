/* Reductions, int8: MEAN and SUM (requantizing), REDUCE_MAX and REDUCE_MIN
 * over any set of axes (a bitmask of NHWC dims in the params); ARG_MAX and
 * ARG_MIN along one axis (INT32 or INT64 indices). */
#include "../internal.h"

/* One int8 input and one output of `out_type`; `axes` names only dims of the
 * input (right-aligned into NHWC) and the output holds exactly the kept
 * elements. *count is the number of elements reduced into each output. */
static const trt_tensor_desc_t *check_reduction(const trt_model_t *m, const trt_op_desc_t *op, int32_t axes,
                                                uint32_t out_type, int64_t *count)
{
    const trt_tensor_desc_t *in, *out;
    trt_dims_t d;
    int64_t kept = 1;
    int k;

    if (!trt_check_arity(op, 1, 1))
    {
        return NULL;
    }
    in = trt_check_input(m, op, 0, TRT_TYPE_INT8);
    out = trt_check_output(m, op, 0, out_type);
    if (in == NULL || out == NULL || in->rank < 1 || in->rank > TRT_MAX_DIMS || !trt_between(axes, 1, 15) ||
        (axes & ((1 << (TRT_MAX_DIMS - in->rank)) - 1)) != 0)
    {
        return NULL;
    }
    d = trt_dims_of(in);
    {
        const int32_t dims[4] = {d.n, d.h, d.w, d.c};
        *count = 1;
        for (k = 0; k < 4; k++)
        {
            if ((axes >> k) & 1)
            {
                *count *= dims[k];
            }
            else
            {
                kept *= dims[k];
            }
        }
    }
    /* The output holds the kept dims, with or without the reduced ones as 1. */
    return kept == trt_elements(out) ? in : NULL;
}

trt_status_t trt_check_mean(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_mean_params_t *p = (const trt_mean_params_t *)trt_params(m, op);
    int64_t count = 0;

    if (check_reduction(m, op, p->axes, TRT_TYPE_INT8, &count) == NULL || count > TRT_MAX_MEAN_COUNT ||
        !trt_between(p->input_offset, -127, 128) || !trt_between(p->output_offset, -128, 127) ||
        !trt_check_requant(p->multiplier, p->shift))
    {
        return TRT_ERR_OP_PARAMS;
    }
    return TRT_OK;
}

void trt_run_mean_ref(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_tensor_desc_t *in = trt_input_desc(m, op, 0);
    trt_ctx_t ctx = trt_ctx(m, op);
    trt_dims_t in_dims = trt_dims_of(in);
    trt_mean_s8(&ctx, (const trt_mean_params_t *)trt_params(m, op), &in_dims, (const int8_t *)trt_data(m, in),
                (int8_t *)trt_output_data(m, op, 0));
}

/* SUM: MEAN's params (its multiplier without the 1/n), checks and kernel. */
trt_status_t trt_check_sum(const trt_model_t *m, const trt_op_desc_t *op)
{
    return trt_check_mean(m, op);
}

void trt_run_sum_ref(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_run_mean_ref(m, op);
}

static trt_status_t check_extreme(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_reduce_params_t *p = (const trt_reduce_params_t *)trt_params(m, op);
    int64_t count = 0;

    return check_reduction(m, op, p->axes, TRT_TYPE_INT8, &count) != NULL ? TRT_OK : TRT_ERR_OP_PARAMS;
}

trt_status_t trt_check_reduce_max(const trt_model_t *m, const trt_op_desc_t *op)
{
    return check_extreme(m, op);
}

trt_status_t trt_check_reduce_min(const trt_model_t *m, const trt_op_desc_t *op)
{
    return check_extreme(m, op);
}

void trt_run_reduce_max_ref(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_tensor_desc_t *in = trt_input_desc(m, op, 0);
    trt_ctx_t ctx = trt_ctx(m, op);
    trt_dims_t in_dims = trt_dims_of(in);
    trt_reduce_max_s8(&ctx, (const trt_reduce_params_t *)trt_params(m, op), &in_dims,
                      (const int8_t *)trt_data(m, in), (int8_t *)trt_output_data(m, op, 0));
}

void trt_run_reduce_min_ref(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_tensor_desc_t *in = trt_input_desc(m, op, 0);
    trt_ctx_t ctx = trt_ctx(m, op);
    trt_dims_t in_dims = trt_dims_of(in);
    trt_reduce_min_s8(&ctx, (const trt_reduce_params_t *)trt_params(m, op), &in_dims,
                      (const int8_t *)trt_data(m, in), (int8_t *)trt_output_data(m, op, 0));
}

/* ARG_MAX, ARG_MIN: one reduced axis, indices of the type the params name. */
static trt_status_t check_arg(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_arg_params_t *p = (const trt_arg_params_t *)trt_params(m, op);
    int64_t count = 0;

    if (!trt_between(p->axis, 0, 3) || !trt_between(p->int64_output, 0, 1) ||
        check_reduction(m, op, 1 << p->axis, p->int64_output ? TRT_TYPE_INT64 : TRT_TYPE_INT32, &count) == NULL)
    {
        return TRT_ERR_OP_PARAMS;
    }
    return TRT_OK;
}

trt_status_t trt_check_arg_max(const trt_model_t *m, const trt_op_desc_t *op)
{
    return check_arg(m, op);
}

trt_status_t trt_check_arg_min(const trt_model_t *m, const trt_op_desc_t *op)
{
    return check_arg(m, op);
}

void trt_run_arg_max_ref(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_tensor_desc_t *in = trt_input_desc(m, op, 0);
    trt_ctx_t ctx = trt_ctx(m, op);
    trt_dims_t in_dims = trt_dims_of(in);
    trt_arg_max_s8(&ctx, (const trt_arg_params_t *)trt_params(m, op), &in_dims, (const int8_t *)trt_data(m, in),
                   trt_output_data(m, op, 0));
}

void trt_run_arg_min_ref(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_tensor_desc_t *in = trt_input_desc(m, op, 0);
    trt_ctx_t ctx = trt_ctx(m, op);
    trt_dims_t in_dims = trt_dims_of(in);
    trt_arg_min_s8(&ctx, (const trt_arg_params_t *)trt_params(m, op), &in_dims, (const int8_t *)trt_data(m, in),
                   trt_output_data(m, op, 0));
}
