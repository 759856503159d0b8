/* REQUANTIZE: TFLite's QUANTIZE int8 -> int8. */
#include "../internal.h"

trt_status_t trt_check_requantize(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_requantize_params_t *p = (const trt_requantize_params_t *)trt_params(m, op);
    const trt_tensor_desc_t *in, *out;

    if (!trt_check_arity(op, 1, 1))
    {
        return TRT_ERR_OP_PARAMS;
    }
    in = trt_check_input(m, op, 0, TRT_TYPE_INT8);
    out = trt_check_output(m, op, 0, TRT_TYPE_INT8);
    return in != NULL && out != NULL && trt_same_elements(in, out) && trt_between(p->input_offset, -127, 128) &&
                   trt_between(p->output_offset, -128, 127) && trt_check_requant(p->multiplier, p->shift)
               ? TRT_OK
               : TRT_ERR_OP_PARAMS;
}

void trt_run_requantize_ref(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_ctx_t ctx = trt_ctx(m, op);
    trt_requantize_s8(&ctx, (const trt_requantize_params_t *)trt_params(m, op),
                      trt_elements(trt_output_desc(m, op, 0)), (const int8_t *)trt_input_data(m, op, 0),
                      (int8_t *)trt_output_data(m, op, 0));
}
