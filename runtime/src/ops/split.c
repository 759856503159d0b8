/* SPLIT (equal parts) and SPLIT_V (given sizes), int8, along any axis. */
#include "axis.h"

trt_status_t trt_check_split(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_split_params_t *p = (const trt_split_params_t *)trt_params(m, op);
    const trt_tensor_desc_t *in;
    int64_t axis_sum = 0;
    uint32_t i;

    if (op->n_inputs != 1)
    {
        return TRT_ERR_OP_PARAMS;
    }
    in = trt_check_input(m, op, 0, TRT_TYPE_INT8);
    if (in == NULL || !trt_between(p->axis, 0, (int32_t)in->rank - 1))
    {
        return TRT_ERR_OP_PARAMS;
    }
    for (i = 0; i < op->n_outputs; i++)
    {
        const trt_tensor_desc_t *out = trt_check_output(m, op, i, TRT_TYPE_INT8);
        if (out == NULL || !trt_check_axis_part(out, in, p->axis))
        {
            return TRT_ERR_OP_PARAMS;
        }
        axis_sum += out->dims[p->axis];
    }
    return axis_sum == in->dims[p->axis] ? TRT_OK : TRT_ERR_OP_PARAMS;
}

void trt_run_split_ref(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_split_params_t *p = (const trt_split_params_t *)trt_params(m, op);
    const trt_tensor_desc_t *in = trt_input_desc(m, op, 0);
    const trt_axis_view_t v = trt_axis_view(in, p->axis);
    trt_ctx_t ctx = trt_ctx(m, op);
    int32_t at = 0;
    uint32_t i;

    for (i = 0; i < op->n_outputs; i++)
    {
        const int32_t out_axis = trt_output_desc(m, op, i)->dims[p->axis];
        trt_split_s8(&ctx, v.outer, v.inner, in->dims[p->axis], at, (const int8_t *)trt_input_data(m, op, 0), out_axis,
                     (int8_t *)trt_output_data(m, op, i));
        at += out_axis;
    }
}
