/*
 * CONCATENATION, int8, along any axis. Inputs 0..n-1 are the tensors; the
 * last input is an optional constant INT32 [n, 4] table of
 * trt_requantize_params_t, one per tensor, for inputs quantized differently
 * from the output (-1 when none is).
 */
#include "axis.h"

trt_status_t trt_check_concatenation(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_concat_params_t *p = (const trt_concat_params_t *)trt_params(m, op);
    const trt_tensor_desc_t *out, *requant = NULL;
    const trt_requantize_params_t *rq = NULL;
    uint32_t n, i;
    int64_t axis_sum = 0;

    if (op->n_inputs < 2 || op->n_outputs != 1)
    {
        return TRT_ERR_OP_PARAMS;
    }
    n = op->n_inputs - 1;
    out = trt_check_output(m, op, 0, TRT_TYPE_INT8);
    if (out == NULL || !trt_between(p->axis, 0, (int32_t)out->rank - 1))
    {
        return TRT_ERR_OP_PARAMS;
    }
    if (trt_input_id(m, op, n) != -1)
    {
        requant = trt_check_const(m, op, n, TRT_TYPE_INT32);
        if (requant == NULL || (uint64_t)requant->bytes != (uint64_t)n * sizeof(trt_requantize_params_t))
        {
            return TRT_ERR_OP_PARAMS;
        }
        rq = (const trt_requantize_params_t *)(const void *)(m->data + requant->offset);
    }
    for (i = 0; i < n; i++)
    {
        const trt_tensor_desc_t *in = trt_check_input(m, op, i, TRT_TYPE_INT8);
        if (in == NULL || !trt_check_axis_part(in, out, p->axis) ||
            (rq != NULL && (!trt_between(rq[i].input_offset, -127, 128) ||
                            !trt_between(rq[i].output_offset, -128, 127) ||
                            !trt_check_requant(rq[i].multiplier, rq[i].shift))))
        {
            return TRT_ERR_OP_PARAMS;
        }
        axis_sum += in->dims[p->axis];
    }
    return axis_sum == out->dims[p->axis] ? TRT_OK : TRT_ERR_OP_PARAMS;
}

void trt_run_concatenation_ref(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_concat_params_t *p = (const trt_concat_params_t *)trt_params(m, op);
    const uint32_t n = op->n_inputs - 1;
    const trt_tensor_desc_t *out = trt_output_desc(m, op, 0);
    const trt_axis_view_t v = trt_axis_view(out, p->axis);
    const trt_requantize_params_t *rq = (const trt_requantize_params_t *)trt_optional_data(m, op, n);
    trt_ctx_t ctx = trt_ctx(m, op);
    int32_t at = 0;
    uint32_t i;

    for (i = 0; i < n; i++)
    {
        const int32_t in_axis = trt_input_desc(m, op, i)->dims[p->axis];
        trt_concat_s8(&ctx, rq != NULL ? &rq[i] : NULL, v.outer, v.inner, in_axis,
                      (const int8_t *)trt_input_data(m, op, i), out->dims[p->axis], at,
                      (int8_t *)trt_output_data(m, op, 0));
        at += in_axis;
    }
}
