/*
 * Blob loader: validates what every op relies on (header, CRC, tables,
 * tensors, operand ids), then each op through its own check (the op table's
 * trt_op_impl_t, runtime/src/ops/), once, so that trt_invoke needs no
 * checks. Every offset and length is checked against its section before a
 * pointer is formed from it, in 64-bit arithmetic where a sum could wrap.
 */
#include <string.h>

#include "internal.h"

static trt_status_t check_tensor(const trt_tensor_desc_t *t, uint32_t arena_bytes, uint32_t data_len)
{
    uint32_t bits = trt_type_bits(t->type);
    uint64_t count = 1;
    uint32_t i;
    uint32_t limit;

    if (bits == 0 || t->rank < 1 || t->rank > TRT_MAX_DIMS)
    {
        return TRT_ERR_TENSOR;
    }
    for (i = 0; i < t->rank; i++)
    {
        if (!trt_between(t->dims[i], 1, TRT_MAX_DIM))
        {
            return TRT_ERR_TENSOR;
        }
        count *= (uint32_t)t->dims[i];
        if (count > TRT_MAX_ELEMENTS)
        {
            return TRT_ERR_TENSOR;
        }
    }
    if ((count * bits + 7) / 8 != t->bytes || t->offset % (bits >= 32 ? 4 : bits >= 8 ? bits / 8 : 1) != 0 /* INT64 too: 4 */)
    {
        return TRT_ERR_TENSOR;
    }
    if (t->type == TRT_TYPE_INT8 && !trt_between(t->zero_point, -128, 127))
    {
        return TRT_ERR_TENSOR;
    }
    switch (t->storage)
    {
    case TRT_STORAGE_ARENA:
    case TRT_STORAGE_PERSISTENT:
        limit = arena_bytes;
        break;
    case TRT_STORAGE_CONST:
        limit = data_len;
        break;
    default:
        return TRT_ERR_TENSOR;
    }
    return trt_in_range(t->offset, t->bytes, limit) ? TRT_OK : TRT_ERR_TENSOR;
}

/* What holds for every op: a known (op, variant) pair that this build links,
 * its params struct inside the data section, its operands inside the operand
 * table and naming tensors (outputs writable), its scratch inside the arena.
 * Then the op's own check, which may form pointers from exactly these
 * offsets (trt_params, trt_data): only now are they known to be in range. */
static trt_status_t check_op(const trt_model_t *m, const trt_op_desc_t *op, uint32_t data_len, uint32_t n_operands)
{
    const trt_op_impl_t *impl;
    uint32_t i;

    if (op->type == TRT_OP_NONE_ || op->type >= TRT_OP_COUNT_ || op->variant >= TRT_VARIANT_COUNT_)
    {
        return TRT_ERR_OP;
    }
    impl = trt_op_table[op->type];
    if (impl == NULL || op->variant >= impl->n_variants || impl->run[op->variant] == NULL)
    {
        return TRT_ERR_OP_NOT_LINKED;
    }
    if (op->params_len != impl->params_bytes || op->params_off % 4 != 0 ||
        !trt_in_range(op->params_off, op->params_len, data_len))
    {
        return TRT_ERR_OP_PARAMS;
    }
    if (op->n_inputs > TRT_MAX_OP_OPERANDS || op->n_outputs < 1 || op->n_outputs > TRT_MAX_OP_OPERANDS ||
        !trt_in_range(op->operands, op->n_inputs + op->n_outputs, n_operands))
    {
        return TRT_ERR_OP_PARAMS;
    }
    for (i = 0; i < op->n_inputs + op->n_outputs; i++)
    {
        int32_t id = m->operands[op->operands + i];
        uint32_t storage;
        if (id < -1 || id >= (int32_t)m->n_tensors || (i >= op->n_inputs && id < 0))
        {
            return TRT_ERR_OP_PARAMS;
        }
        storage = id >= 0 ? m->tensors[id].storage : TRT_STORAGE_CONST;
        if (i >= op->n_inputs && storage == TRT_STORAGE_CONST)
        {
            return TRT_ERR_OP_PARAMS;
        }
    }
    if (op->scratch_bytes != 0 && !trt_in_range(op->scratch_off, op->scratch_bytes, m->arena_bytes))
    {
        return TRT_ERR_OP_PARAMS;
    }
    return impl->check(m, op);
}

static trt_status_t check_header(const trt_blob_header_t *h, size_t blob_len)
{
    if (blob_len < 8)
    {
        return TRT_ERR_TRUNCATED;
    }
    if (h->magic != TRT_MAGIC)
    {
        return TRT_ERR_MAGIC;
    }
    /* The version comes before the length: an older blob's header may be
     * shorter than this one. */
    if (h->version < TRT_FORMAT_VERSION)
    {
        return TRT_ERR_OLD_VERSION;
    }
    if (h->version != TRT_FORMAT_VERSION)
    {
        return TRT_ERR_VERSION;
    }
    if (blob_len < sizeof(*h) || h->total_len < sizeof(*h) || h->total_len > blob_len)
    {
        return TRT_ERR_TRUNCATED;
    }
    return TRT_OK;
}

/* A table of `count` records of `size` bytes at `off`, inside the blob. */
static int table_ok(uint32_t off, uint32_t count, uint32_t size, uint32_t total_len)
{
    return off % 4 == 0 && off >= sizeof(trt_blob_header_t) && (uint64_t)count * size <= total_len &&
           trt_in_range(off, count * size, total_len);
}

trt_status_t trt_arena_required(const void *blob, size_t blob_len, size_t *bytes)
{
    const trt_blob_header_t *h = (const trt_blob_header_t *)blob;
    trt_status_t st;

    if (blob == NULL || bytes == NULL)
    {
        return TRT_ERR_ARG;
    }
    if ((uintptr_t)blob % 4 != 0)
    {
        return TRT_ERR_ALIGN;
    }
    st = check_header(h, blob_len);
    if (st == TRT_OK)
    {
        *bytes = h->arena_bytes;
    }
    return st;
}

static trt_status_t load(trt_model_t *m, const void *blob, size_t blob_len, void *arena, size_t arena_len)
{
    const trt_blob_header_t *h = (const trt_blob_header_t *)blob;
    const uint8_t *bytes = (const uint8_t *)blob;
    trt_status_t st;
    uint32_t i;

    if ((uintptr_t)blob % 4 != 0 || (uintptr_t)arena % 4 != 0)
    {
        return TRT_ERR_ALIGN;
    }
    st = check_header(h, blob_len);
    if (st != TRT_OK)
    {
        return st;
    }
    if (trt_crc32(bytes + TRT_HEADER_CRC_START, h->total_len - TRT_HEADER_CRC_START) != h->crc32)
    {
        return TRT_ERR_CRC;
    }
    if (h->flags != 0 || !table_ok(h->tensors_off, h->n_tensors, sizeof(trt_tensor_desc_t), h->total_len) ||
        !table_ok(h->ops_off, h->n_ops, sizeof(trt_op_desc_t), h->total_len) ||
        !table_ok(h->operands_off, h->n_operands, sizeof(int32_t), h->total_len) ||
        !table_ok(h->inputs_off, h->n_inputs, sizeof(uint32_t), h->total_len) ||
        !table_ok(h->outputs_off, h->n_outputs, sizeof(uint32_t), h->total_len) ||
        !table_ok(h->data_off, h->data_len, 1, h->total_len) || h->n_tensors > 0x7fffffffu)
    {
        return TRT_ERR_SECTION;
    }
    if (arena_len < h->arena_bytes)
    {
        return TRT_ERR_ARENA_SIZE;
    }

    m->blob = bytes;
    m->tensors = (const trt_tensor_desc_t *)(const void *)(bytes + h->tensors_off);
    m->ops = (const trt_op_desc_t *)(const void *)(bytes + h->ops_off);
    m->operands = (const int32_t *)(const void *)(bytes + h->operands_off);
    m->inputs = (const uint32_t *)(const void *)(bytes + h->inputs_off);
    m->outputs = (const uint32_t *)(const void *)(bytes + h->outputs_off);
    m->data = bytes + h->data_off;
    m->arena = (uint8_t *)arena;
    m->n_tensors = h->n_tensors;
    m->n_ops = h->n_ops;
    m->n_inputs = h->n_inputs;
    m->n_outputs = h->n_outputs;
    m->arena_bytes = h->arena_bytes;

    for (i = 0; i < m->n_tensors; i++)
    {
        st = check_tensor(&m->tensors[i], h->arena_bytes, h->data_len);
        if (st != TRT_OK)
        {
            return st;
        }
    }
    for (i = 0; i < m->n_inputs + m->n_outputs; i++)
    {
        uint32_t id = i < m->n_inputs ? m->inputs[i] : m->outputs[i - m->n_inputs];
        if (id >= m->n_tensors || m->tensors[id].storage != TRT_STORAGE_ARENA)
        {
            return TRT_ERR_TENSOR;
        }
    }
    for (i = 0; i < m->n_ops; i++)
    {
        st = check_op(m, &m->ops[i], h->data_len, h->n_operands);
        if (st != TRT_OK)
        {
            return st;
        }
    }
    return TRT_OK;
}

trt_status_t trt_model_init(trt_model_t *model, const void *blob, size_t blob_len, void *arena, size_t arena_len)
{
    trt_status_t st;

    if (model == NULL)
    {
        return TRT_ERR_ARG;
    }
    memset(model, 0, sizeof(*model));
    if (blob == NULL || (arena == NULL && arena_len != 0))
    {
        return TRT_ERR_ARG;
    }
    st = load(model, blob, blob_len, arena, arena_len);
    if (st != TRT_OK)
    {
        memset(model, 0, sizeof(*model));
        return st;
    }
    model->ready = 1;
    return trt_reset_state(model);
}
