/* DEQUANTIZE int8 -> float32 (a model's output edge). */
#include "../internal.h"

trt_status_t trt_check_dequantize(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_dequantize_params_t *p = (const trt_dequantize_params_t *)trt_params(m, op);
    const trt_tensor_desc_t *in, *out;

    if (!trt_check_arity(op, 1, 1))
    {
        return TRT_ERR_OP_PARAMS;
    }
    in = trt_check_input(m, op, 0, TRT_TYPE_INT8);
    out = trt_check_output(m, op, 0, TRT_TYPE_FLOAT32);
    /* The zero point's range keeps q - zero_point exact in float32. */
    return in != NULL && out != NULL && trt_same_elements(in, out) && trt_between(p->zero_point, -128, 127)
               ? TRT_OK
               : TRT_ERR_OP_PARAMS;
}

void trt_run_dequantize_ref(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_ctx_t ctx = trt_ctx(m, op);
    trt_dequantize_s8_f32(&ctx, (const trt_dequantize_params_t *)trt_params(m, op),
                          trt_elements(trt_output_desc(m, op, 0)), (const int8_t *)trt_input_data(m, op, 0),
                          (float *)trt_output_data(m, op, 0));
}
