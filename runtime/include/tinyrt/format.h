/*
 * The tinyrt model blob, format version 2: a little-endian image read in
 * place (from flash or RAM), produced offline by python/tinyrt (format.py
 * mirrors this file; a test checks the two agree).
 *
 *   header | tensor table | op table | operand table | input ids | output ids | data
 *
 * All tables and the data section start 4-byte aligned. The data section holds
 * constant tensors (weights, biases, requantization multipliers and shifts)
 * and each op's parameter struct (see tinyrt/kernels.h). Activations live in
 * the caller's arena at offsets fixed by the offline planner; tensors may
 * overlap there when their lifetimes allow it (in-place kernels included).
 * Persistent tensors (state kept across trt_invoke) live in the arena too, in
 * space no other tensor uses.
 */
#ifndef TINYRT_FORMAT_H
#define TINYRT_FORMAT_H

#include <stdint.h>

#include "tinyrt/limits.h"
#include "tinyrt/op_list.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TRT_MAGIC 0x31545254
#define TRT_FORMAT_VERSION 2
#define TRT_HEADER_CRC_START 16

typedef enum
{
    TRT_TYPE_INT8 = 1,
    TRT_TYPE_INT32 = 2,
    TRT_TYPE_FLOAT32 = 3,
    TRT_TYPE_INT16 = 4,
    TRT_TYPE_INT4 = 5, /* packed two per byte, low nibble first; bytes = ceil(elements / 2) */
    TRT_TYPE_INT64 = 6 /* 4-byte aligned like every tensor: kernels store it with memcpy */
} trt_type_t;

typedef enum
{
    TRT_STORAGE_ARENA = 1,     /* offset into the caller's arena */
    TRT_STORAGE_CONST = 2,     /* offset into the blob's data section */
    TRT_STORAGE_PERSISTENT = 3 /* offset into the arena; kept across trt_invoke, reset by trt_reset_state */
} trt_storage_t;

typedef enum
{
    TRT_OP_NONE_ = 0,
#define TRT_OP_ENUM_(NAME, name, params) TRT_OP_##NAME,
    TRT_OP_LIST(TRT_OP_ENUM_)
#undef TRT_OP_ENUM_
    TRT_OP_COUNT_
} trt_op_type_t;

typedef enum
{
#define TRT_VARIANT_ENUM_(NAME, name) TRT_VARIANT_##NAME,
    TRT_VARIANT_LIST(TRT_VARIANT_ENUM_)
#undef TRT_VARIANT_ENUM_
    TRT_VARIANT_COUNT_
} trt_variant_t;

typedef struct
{
    uint32_t magic;
    uint32_t version;
    uint32_t total_len;
    uint32_t crc32; /* CRC-32 (IEEE) of bytes [TRT_HEADER_CRC_START, total_len) */
    uint32_t arena_bytes;
    uint32_t n_tensors, tensors_off;
    uint32_t n_ops, ops_off;
    uint32_t n_operands, operands_off;
    uint32_t n_inputs, inputs_off;
    uint32_t n_outputs, outputs_off;
    uint32_t data_off, data_len;
    uint32_t flags; /* reserved, 0 */
} trt_blob_header_t;

typedef struct
{
    uint32_t type;    /* trt_type_t */
    uint32_t storage; /* trt_storage_t */
    uint32_t offset;  /* into the arena or the data section, aligned to the element size */
    uint32_t bytes;   /* storage bytes of all elements */
    uint32_t rank;    /* 1..TRT_MAX_DIMS */
    int32_t dims[TRT_MAX_DIMS];
    int32_t zero_point;
    uint32_t scale_bits; /* IEEE-754 float32 bits; for the accessors only */
} trt_tensor_desc_t;

/* An op's operands are n_inputs + n_outputs consecutive entries of the
 * operand table (int32 tensor ids) from index `operands`: its inputs, then
 * its outputs. An absent optional input is -1. */
typedef struct
{
    uint32_t type;       /* trt_op_type_t */
    uint32_t variant;    /* trt_variant_t */
    uint32_t params_off; /* into the data section, 4-aligned */
    uint32_t params_len; /* sizeof the op's param struct (0 when it has none) */
    uint32_t operands;
    uint32_t n_inputs, n_outputs;
    uint32_t scratch_off; /* into the arena */
    uint32_t scratch_bytes;
} trt_op_desc_t;

#ifdef __cplusplus
}
#endif

#endif /* TINYRT_FORMAT_H */
