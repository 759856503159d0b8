/* FULLY_CONNECTED: any input shape is a batch of rows of the filter's input depth.
 * Reference, and DSP where the build has kernels/arm_dsp. */
#include "../internal.h"

trt_status_t trt_check_fully_connected(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_fc_params_t *p = (const trt_fc_params_t *)trt_params(m, op);
    const trt_tensor_desc_t *in, *filter, *out;
    int32_t cin, cout, batches;
    trt_status_t st;

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
    st = trt_check_channels(m, op, cout, cin);
#ifdef TRT_BUILD_KERNELS_ARM_DSP
    /* DSP: the input offset folded into a bias that is there. */
    if (st == TRT_OK && op->variant == TRT_VARIANT_DSP && (p->input_offset != 0 || trt_input_id(m, op, 2) == -1))
    {
        return TRT_ERR_OP_PARAMS;
    }
#endif
    return st;
}

/* The kernel arguments. */
typedef struct
{
    trt_ctx_t ctx;
    const trt_fc_params_t *params;
    trt_requant_t q;
    trt_dims_t in_dims, f_dims, b_dims, out_dims;
    const int8_t *in, *filter;
    const int32_t *bias;
    int8_t *out;
} fc_args_t;

static fc_args_t fc_args(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_tensor_desc_t *in = trt_input_desc(m, op, 0);
    const trt_tensor_desc_t *filter = trt_input_desc(m, op, 1);
    const trt_tensor_desc_t *mult = trt_input_desc(m, op, 3);
    fc_args_t a;

    a.ctx = trt_ctx(m, op);
    a.params = (const trt_fc_params_t *)trt_params(m, op);
    a.bias = (const int32_t *)trt_optional_data(m, op, 2);
    a.q.multiplier = (const int32_t *)trt_data(m, mult);
    a.q.shift = (const int32_t *)trt_data(m, trt_input_desc(m, op, 4));
    a.q.count = (int32_t)(mult->bytes / sizeof(int32_t));
    a.f_dims.n = filter->dims[0];
    a.f_dims.h = a.f_dims.w = 1;
    a.f_dims.c = filter->dims[1];
    a.b_dims.n = a.b_dims.h = a.b_dims.w = 1;
    a.b_dims.c = a.bias != NULL ? a.f_dims.n : 0;
    /* int8: the input's bytes are its elements. */
    a.in_dims.n = (int32_t)in->bytes / a.f_dims.c;
    a.in_dims.h = a.in_dims.w = 1;
    a.in_dims.c = a.f_dims.c;
    a.out_dims.n = a.in_dims.n;
    a.out_dims.h = a.out_dims.w = 1;
    a.out_dims.c = a.f_dims.n;
    a.in = (const int8_t *)trt_data(m, in);
    a.filter = (const int8_t *)trt_data(m, filter);
    a.out = (int8_t *)trt_output_data(m, op, 0);
    return a;
}

void trt_run_fully_connected_ref(const trt_model_t *m, const trt_op_desc_t *op)
{
    fc_args_t a = fc_args(m, op);
    trt_fc_s8(&a.ctx, a.params, &a.q, &a.in_dims, a.in, &a.f_dims, a.filter, &a.b_dims, a.bias, &a.out_dims, a.out);
}

#ifdef TRT_BUILD_KERNELS_ARM_DSP
void trt_run_fully_connected_dsp(const trt_model_t *m, const trt_op_desc_t *op)
{
    fc_args_t a = fc_args(m, op);
    trt_fc_s8_dsp(&a.ctx, a.params, &a.q, &a.in_dims, a.in, &a.f_dims, a.filter, &a.b_dims, a.bias, &a.out_dims,
                  a.out);
}
#endif
