/*
 * Validation helpers shared by the op checks (runtime/src/ops/). Each is in
 * its own section, so a firmware links only those its ops' checks call.
 */
#include "internal.h"

static const trt_tensor_desc_t *operand(const trt_model_t *m, int32_t id, uint32_t type)
{
    return id >= 0 && m->tensors[id].type == type ? &m->tensors[id] : NULL;
}

const trt_tensor_desc_t *trt_check_input(const trt_model_t *m, const trt_op_desc_t *op, uint32_t slot, uint32_t type)
{
    return slot < op->n_inputs ? operand(m, trt_input_id(m, op, slot), type) : NULL;
}

const trt_tensor_desc_t *trt_check_const(const trt_model_t *m, const trt_op_desc_t *op, uint32_t slot, uint32_t type)
{
    const trt_tensor_desc_t *t = trt_check_input(m, op, slot, type);
    return t != NULL && t->storage == TRT_STORAGE_CONST ? t : NULL;
}

const trt_tensor_desc_t *trt_check_output(const trt_model_t *m, const trt_op_desc_t *op, uint32_t slot, uint32_t type)
{
    return slot < op->n_outputs ? operand(m, trt_output_id(m, op, slot), type) : NULL;
}

int trt_check_arity(const trt_op_desc_t *op, uint32_t n_inputs, uint32_t n_outputs)
{
    return op->n_inputs == n_inputs && op->n_outputs == n_outputs;
}

int trt_check_act(int32_t act_min, int32_t act_max)
{
    return trt_between(act_min, -128, 127) && trt_between(act_max, act_min, 127);
}

int trt_check_requant(int32_t multiplier, int32_t shift)
{
    return multiplier >= 0 && trt_between(shift, TRT_MIN_SHIFT, TRT_MAX_SHIFT);
}

static int broadcasts_to(const trt_dims_t *a, const trt_dims_t *out)
{
    return (a->n == out->n || a->n == 1) && (a->h == out->h || a->h == 1) && (a->w == out->w || a->w == 1) &&
           (a->c == out->c || a->c == 1);
}

int trt_check_binary(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_tensor_desc_t *a, *b, *out;
    trt_dims_t da, db, dout;

    if (!trt_check_arity(op, 2, 1))
    {
        return 0;
    }
    a = trt_check_input(m, op, 0, TRT_TYPE_INT8);
    b = trt_check_input(m, op, 1, TRT_TYPE_INT8);
    out = trt_check_output(m, op, 0, TRT_TYPE_INT8);
    if (a == NULL || b == NULL || out == NULL)
    {
        return 0;
    }
    da = trt_dims_of(a);
    db = trt_dims_of(b);
    dout = trt_dims_of(out);
    return broadcasts_to(&da, &dout) && broadcasts_to(&db, &dout);
}

int trt_check_inplace(const trt_model_t *m, const trt_op_desc_t *op, int64_t scratch)
{
    const trt_tensor_desc_t *in = trt_input_desc(m, op, 0);
    const trt_tensor_desc_t *out = trt_output_desc(m, op, 0);
    uint64_t data_end = (uint64_t)in->offset + (in->bytes > out->bytes ? in->bytes : out->bytes);
    uint64_t scratch_end = (uint64_t)op->scratch_off + op->scratch_bytes;
    return in->storage == TRT_STORAGE_ARENA && out->storage == TRT_STORAGE_ARENA && in->offset == out->offset &&
           scratch <= op->scratch_bytes && (scratch_end <= in->offset || op->scratch_off >= data_end);
}

int trt_check_binary_variant(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_tensor_desc_t *in1, *in2, *out;
    trt_dims_t d1, dout;

    if (op->variant != TRT_VARIANT_REF_INPLACE && op->variant != TRT_VARIANT_DSP_INPLACE)
    {
        return 1;
    }
    in1 = trt_input_desc(m, op, 0);
    in2 = trt_input_desc(m, op, 1);
    out = trt_output_desc(m, op, 0);
    d1 = trt_dims_of(in1);
    dout = trt_dims_of(out);
    if (d1.n != dout.n || d1.h != dout.h || d1.w != dout.w || d1.c != dout.c || !trt_check_inplace(m, op, 0))
    {
        return 0;
    }
    return trt_input_id(m, op, 1) == trt_input_id(m, op, 0) || in2->storage == TRT_STORAGE_CONST ||
           (uint64_t)in2->offset + in2->bytes <= out->offset || (uint64_t)out->offset + out->bytes <= in2->offset;
}

static const int32_t *const_i32(const trt_model_t *m, const trt_tensor_desc_t *t)
{
    return (const int32_t *)(const void *)(m->data + t->offset);
}

int64_t trt_acc_bound(const trt_model_t *m, const trt_op_desc_t *op, int64_t taps)
{
    int64_t max_bias = 0;
    int32_t i;

    if (trt_input_id(m, op, 2) != -1)
    {
        const trt_tensor_desc_t *bias = trt_input_desc(m, op, 2);
        for (i = 0; i < trt_elements(bias); i++)
        {
            int64_t b = const_i32(m, bias)[i];
            b = b < 0 ? -b : b;
            max_bias = b > max_bias ? b : max_bias;
        }
    }
    return taps * TRT_MAX_PRODUCT + max_bias;
}

trt_status_t trt_check_channels(const trt_model_t *m, const trt_op_desc_t *op, int32_t channels, int64_t taps)
{
    const trt_tensor_desc_t *mult = trt_check_const(m, op, 3, TRT_TYPE_INT32);
    const trt_tensor_desc_t *shift = trt_check_const(m, op, 4, TRT_TYPE_INT32);
    int32_t i, n;

    if (mult == NULL || shift == NULL || mult->bytes != shift->bytes)
    {
        return TRT_ERR_OP_PARAMS;
    }
    n = trt_elements(mult);
    if (n != 1 && n != channels)
    {
        return TRT_ERR_OP_PARAMS;
    }
    for (i = 0; i < n; i++)
    {
        if (!trt_check_requant(const_i32(m, mult)[i], const_i32(m, shift)[i]))
        {
            return TRT_ERR_OP_PARAMS;
        }
    }
    if (trt_input_id(m, op, 2) != -1)
    {
        const trt_tensor_desc_t *bias = trt_check_const(m, op, 2, TRT_TYPE_INT32);
        if (bias == NULL || trt_elements(bias) != channels)
        {
            return TRT_ERR_OP_PARAMS;
        }
    }
    return trt_acc_bound(m, op, taps) <= INT32_MAX ? TRT_OK : TRT_ERR_OP_PARAMS;
}

int trt_same_elements(const trt_tensor_desc_t *a, const trt_tensor_desc_t *b)
{
    return trt_elements(a) == trt_elements(b);
}

trt_dims_t trt_dims_of(const trt_tensor_desc_t *t)
{
    int32_t d[TRT_MAX_DIMS] = {1, 1, 1, 1};
    uint32_t i;
    trt_dims_t dims;
    for (i = 0; i < t->rank; i++)
    {
        d[TRT_MAX_DIMS - t->rank + i] = t->dims[i];
    }
    dims.n = d[0];
    dims.h = d[1];
    dims.w = d[2];
    dims.c = d[3];
    return dims;
}
