/* FULLY_CONNECTED: any input shape is a batch of rows of the filter's input depth. */
#include "../internal.h"

trt_status_t trt_check_fully_connected(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_fc_params_t *p = (const trt_fc_params_t *)trt_params(m, op);
    const trt_tensor_desc_t *in, *filter, *out;
    int32_t cin, cout, batches;

    if (!trt_check_arity(op, 5, 1))
    {
        return TRT_ERR_OP_PARAMS;
    }
    in = trt_check_input(m, op, 0, TRT_TYPE_INT8);
    filter = trt_check_const(m, op, 1, TRT_TYPE_INT8);
    out = trt_check_output(m, op, 0, TRT_TYPE_INT8);
    if (in == NULL || filter == NULL || out == NULL || filter->rank != 2 || !trt_between(p->input_offset, -127, 128) ||
        !trt_between(p->output_offset, -128, 127) || !trt_check_act(p->act_min, p->act_max))
    {
        return TRT_ERR_OP_PARAMS;
    }
    cout = filter->dims[0];
    cin = filter->dims[1];
    batches = trt_elements(in) / cin;
    if (trt_elements(in) % cin != 0 || (int64_t)batches * cout != trt_elements(out))
    {
        return TRT_ERR_OP_PARAMS;
    }
    return trt_check_channels(m, op, cout, cin);
}

void trt_run_fully_connected_ref(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_tensor_desc_t *in = trt_input_desc(m, op, 0);
    const trt_tensor_desc_t *filter = trt_input_desc(m, op, 1);
    const trt_tensor_desc_t *mult = trt_input_desc(m, op, 3);
    const int32_t *bias = (const int32_t *)trt_optional_data(m, op, 2);
    trt_ctx_t ctx = trt_ctx(m, op);
    trt_requant_t q;
    trt_dims_t f_dims, b_dims, in_dims, out_dims;

    q.multiplier = (const int32_t *)trt_data(m, mult);
    q.shift = (const int32_t *)trt_data(m, trt_input_desc(m, op, 4));
    q.count = (int32_t)(mult->bytes / sizeof(int32_t));
    f_dims.n = filter->dims[0];
    f_dims.h = f_dims.w = 1;
    f_dims.c = filter->dims[1];
    b_dims.n = b_dims.h = b_dims.w = 1;
    b_dims.c = bias != NULL ? f_dims.n : 0;
    /* int8: the input's bytes are its elements. */
    in_dims.n = (int32_t)in->bytes / f_dims.c;
    in_dims.h = in_dims.w = 1;
    in_dims.c = f_dims.c;
    out_dims.n = in_dims.n;
    out_dims.h = out_dims.w = 1;
    out_dims.c = f_dims.n;
    trt_fc_s8(&ctx, (const trt_fc_params_t *)trt_params(m, op), &q, &in_dims, (const int8_t *)trt_data(m, in), &f_dims,
              (const int8_t *)trt_data(m, filter), &b_dims, bias, &out_dims, (int8_t *)trt_output_data(m, op, 0));
}
