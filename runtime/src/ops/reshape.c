/* RESHAPE: the same bytes under another shape. */
#include <string.h>

#include "../internal.h"

trt_status_t trt_check_reshape(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_tensor_desc_t *in, *out;

    if (!trt_check_arity(op, 1, 1))
    {
        return TRT_ERR_OP_PARAMS;
    }
    out = trt_output_desc(m, op, 0);
    in = trt_check_input(m, op, 0, out->type);
    return in != NULL && in->bytes == out->bytes ? TRT_OK : TRT_ERR_OP_PARAMS;
}

void trt_run_reshape_ref(const trt_model_t *m, const trt_op_desc_t *op)
{
    const void *in = trt_input_data(m, op, 0);
    void *out = trt_output_data(m, op, 0);
    /* The planner gives the output the input's storage when it can; then
     * there is nothing to move. */
    if (in != out)
    {
        memmove(out, in, trt_output_desc(m, op, 0)->bytes);
    }
}
