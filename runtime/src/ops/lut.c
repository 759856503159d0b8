/* LUT: any int8 -> int8 unary function as a constant 256-byte table; in
 * place too (each element is read before it is written). */
#include "../internal.h"

trt_status_t trt_check_lut(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_tensor_desc_t *in, *table, *out;

    if (!trt_check_arity(op, 2, 1))
    {
        return TRT_ERR_OP_PARAMS;
    }
    in = trt_check_input(m, op, 0, TRT_TYPE_INT8);
    table = trt_check_const(m, op, 1, TRT_TYPE_INT8);
    out = trt_check_output(m, op, 0, TRT_TYPE_INT8);
    if (in == NULL || table == NULL || out == NULL || trt_elements(table) != 256 || !trt_same_elements(in, out))
    {
        return TRT_ERR_OP_PARAMS;
    }
    return op->variant != TRT_VARIANT_REF_INPLACE || trt_check_inplace(m, op, 0) ? TRT_OK : TRT_ERR_OP_PARAMS;
}

void trt_run_lut_ref(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_ctx_t ctx = trt_ctx(m, op);
    trt_lut_s8(&ctx, trt_elements(trt_output_desc(m, op, 0)), (const int8_t *)trt_input_data(m, op, 0),
               (const int8_t *)trt_input_data(m, op, 1), (int8_t *)trt_output_data(m, op, 0));
}

void trt_run_lut_ref_inplace(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_run_lut_ref(m, op);
}
