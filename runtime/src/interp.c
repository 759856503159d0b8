/*
 * The interpreter: runs the validated ops in order through the op table
 * (tinyrt/ops.h), each with the kernel variant the blob names, with the
 * profiling hook around each. No checks here: trt_model_init did them all,
 * including that every (op, variant) pair is linked.
 */
#include <string.h>

#include "internal.h"

trt_status_t trt_invoke(trt_model_t *model)
{
    uint32_t i;

    if (model == NULL || !model->ready)
    {
        return TRT_ERR_NOT_READY;
    }
    for (i = 0; i < model->n_ops; i++)
    {
        const trt_op_desc_t *op = &model->ops[i];
        if (model->hook != NULL)
        {
            model->hook(model->hook_user, i, op->type, 0);
        }
        trt_op_table[op->type]->run[op->variant](model, op);
        if (model->hook != NULL)
        {
            model->hook(model->hook_user, i, op->type, 1);
        }
    }
    return TRT_OK;
}

trt_status_t trt_reset_state(trt_model_t *model)
{
    uint32_t i;

    if (model == NULL || !model->ready)
    {
        return TRT_ERR_NOT_READY;
    }
    for (i = 0; i < model->n_tensors; i++)
    {
        const trt_tensor_desc_t *t = &model->tensors[i];
        if (t->storage == TRT_STORAGE_PERSISTENT)
        {
            memset(model->arena + t->offset, t->type == TRT_TYPE_INT8 ? t->zero_point : 0, t->bytes);
        }
    }
    return TRT_OK;
}

static trt_status_t describe(const trt_model_t *m, uint32_t id, trt_tensor_t *t)
{
    const trt_tensor_desc_t *d = &m->tensors[id];
    uint32_t i;

    memset(t, 0, sizeof(*t));
    t->data = m->arena + d->offset;
    t->type = d->type;
    t->rank = d->rank;
    for (i = 0; i < d->rank; i++)
    {
        t->dims[i] = d->dims[i];
    }
    t->bytes = d->bytes;
    memcpy(&t->scale, &d->scale_bits, sizeof(t->scale));
    t->zero_point = d->zero_point;
    return TRT_OK;
}

trt_status_t trt_input(const trt_model_t *model, uint32_t index, trt_tensor_t *tensor)
{
    if (model == NULL || tensor == NULL)
    {
        return TRT_ERR_ARG;
    }
    if (!model->ready)
    {
        return TRT_ERR_NOT_READY;
    }
    if (index >= model->n_inputs)
    {
        return TRT_ERR_INDEX;
    }
    return describe(model, model->inputs[index], tensor);
}

trt_status_t trt_output(const trt_model_t *model, uint32_t index, trt_tensor_t *tensor)
{
    if (model == NULL || tensor == NULL)
    {
        return TRT_ERR_ARG;
    }
    if (!model->ready)
    {
        return TRT_ERR_NOT_READY;
    }
    if (index >= model->n_outputs)
    {
        return TRT_ERR_INDEX;
    }
    return describe(model, model->outputs[index], tensor);
}

uint32_t trt_num_inputs(const trt_model_t *model)
{
    return model != NULL && model->ready ? model->n_inputs : 0;
}

uint32_t trt_num_outputs(const trt_model_t *model)
{
    return model != NULL && model->ready ? model->n_outputs : 0;
}

uint32_t trt_num_ops(const trt_model_t *model)
{
    return model != NULL && model->ready ? model->n_ops : 0;
}

void trt_set_op_hook(trt_model_t *model, trt_op_hook_t hook, void *user)
{
    if (model != NULL)
    {
        model->hook = hook;
        model->hook_user = user;
    }
}
