/* MAXIMUM and MINIMUM, int8, same shape or broadcast, or in place; no params. */
#include "../internal.h"

trt_status_t trt_check_maximum(const trt_model_t *m, const trt_op_desc_t *op)
{
    return trt_check_binary(m, op) && trt_check_binary_variant(m, op) ? TRT_OK : TRT_ERR_OP_PARAMS;
}

trt_status_t trt_check_minimum(const trt_model_t *m, const trt_op_desc_t *op)
{
    return trt_check_binary(m, op) && trt_check_binary_variant(m, op) ? TRT_OK : TRT_ERR_OP_PARAMS;
}

void trt_run_maximum_ref(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_ctx_t ctx = trt_ctx(m, op);
    trt_dims_t in1_dims = trt_dims_of(trt_input_desc(m, op, 0));
    trt_dims_t in2_dims = trt_dims_of(trt_input_desc(m, op, 1));
    trt_dims_t out_dims = trt_dims_of(trt_output_desc(m, op, 0));
    trt_maximum_s8(&ctx, &in1_dims, (const int8_t *)trt_input_data(m, op, 0), &in2_dims,
                   (const int8_t *)trt_input_data(m, op, 1), &out_dims, (int8_t *)trt_output_data(m, op, 0));
}

void trt_run_minimum_ref(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_ctx_t ctx = trt_ctx(m, op);
    trt_dims_t in1_dims = trt_dims_of(trt_input_desc(m, op, 0));
    trt_dims_t in2_dims = trt_dims_of(trt_input_desc(m, op, 1));
    trt_dims_t out_dims = trt_dims_of(trt_output_desc(m, op, 0));
    trt_minimum_s8(&ctx, &in1_dims, (const int8_t *)trt_input_data(m, op, 0), &in2_dims,
                   (const int8_t *)trt_input_data(m, op, 1), &out_dims, (int8_t *)trt_output_data(m, op, 0));
}

/* The reference kernels are alias-safe for in place (kernels.h). */
void trt_run_maximum_ref_inplace(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_run_maximum_ref(m, op);
}

void trt_run_minimum_ref_inplace(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_run_minimum_ref(m, op);
}
