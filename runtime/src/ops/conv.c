#include "conv.h"

trt_status_t trt_check_conv(const trt_model_t *m, const trt_op_desc_t *op, int depthwise)
{
    const trt_conv_params_t *p = (const trt_conv_params_t *)trt_params(m, op);
    const trt_tensor_desc_t *in, *filter, *out;
    trt_dims_t di, df, dout;
    int64_t taps;

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
        !trt_between(p->dilation_h, 1, TRT_MAX_WINDOW) || !trt_between(p->dilation_w, 1, TRT_MAX_WINDOW) ||
        !trt_between(p->pad_top, 0, TRT_MAX_WINDOW) || !trt_between(p->pad_left, 0, TRT_MAX_WINDOW) ||
        !trt_between(p->input_offset, -127, 128) || !trt_between(p->output_offset, -128, 127) ||
        !trt_check_act(p->act_min, p->act_max) || !trt_between(df.h, 1, TRT_MAX_WINDOW) ||
        !trt_between(df.w, 1, TRT_MAX_WINDOW) || dout.n != di.n)
    {
        return TRT_ERR_OP_PARAMS;
    }
    if (depthwise)
    {
        if (!trt_between(p->depth_multiplier, 1, TRT_MAX_DIM) || df.n != 1 || df.c != dout.c ||
            (int64_t)di.c * p->depth_multiplier != dout.c)
        {
            return TRT_ERR_OP_PARAMS;
        }
        taps = (int64_t)df.h * df.w;
    }
    else
    {
        if (p->depth_multiplier != 1 || df.c != di.c || df.n != dout.c)
        {
            return TRT_ERR_OP_PARAMS;
        }
        taps = (int64_t)df.h * df.w * df.c;
    }
    return trt_check_channels(m, op, dout.c, taps);
}

trt_conv_args_t trt_conv_args(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_tensor_desc_t *in = trt_input_desc(m, op, 0);
    const trt_tensor_desc_t *filter = trt_input_desc(m, op, 1);
    const trt_tensor_desc_t *mult = trt_input_desc(m, op, 3);
    const trt_tensor_desc_t *out = trt_output_desc(m, op, 0);
    trt_conv_args_t a;

    a.ctx = trt_ctx(m, op);
    a.params = (const trt_conv_params_t *)trt_params(m, op);
    a.q.multiplier = (const int32_t *)trt_data(m, mult);
    a.q.shift = (const int32_t *)trt_data(m, trt_input_desc(m, op, 4));
    a.q.count = (int32_t)(mult->bytes / sizeof(int32_t));
    a.in_dims = trt_dims_of(in);
    a.f_dims = trt_dims_of(filter);
    a.out_dims = trt_dims_of(out);
    a.in = (const int8_t *)trt_data(m, in);
    a.filter = (const int8_t *)trt_data(m, filter);
    a.bias = (const int32_t *)trt_optional_data(m, op, 2);
    a.out = (int8_t *)trt_data(m, out);
    a.b_dims.n = a.b_dims.h = a.b_dims.w = 1;
    a.b_dims.c = a.bias != NULL ? a.out_dims.c : 0;
    return a;
}
