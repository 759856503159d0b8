/*
 * The tinyrt model blob: a little-endian image read in place (from flash or
 * RAM), produced offline by python/tinyrt (format.py mirrors this file; a test
 * checks the two agree).
 *
 *   header | tensor table | op table | input ids | output ids | data
 *
 * All tables and the data section start 4-byte aligned. The data section holds
 * constant tensors (weights, biases, requantization multipliers and shifts)
 * and each op's parameter struct (see tinyrt/kernels.h). Activations live in
 * the caller's arena at offsets fixed by the offline planner; tensors may
 * overlap there when their lifetimes allow it (in-place kernels included).
 */
#ifndef TINYRT_FORMAT_H
#define TINYRT_FORMAT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TRT_MAGIC 0x31545254
#define TRT_FORMAT_VERSION 1
#define TRT_MAX_DIMS 4
#define TRT_MAX_OP_INPUTS 5
#define TRT_HEADER_CRC_START 16

typedef enum
{
    TRT_TYPE_INT8 = 1,
    TRT_TYPE_INT32 = 2,
    TRT_TYPE_FLOAT32 = 3
} trt_type_t;

typedef enum
{
    TRT_STORAGE_ARENA = 1, /* offset into the caller's arena */
    TRT_STORAGE_CONST = 2  /* offset into the blob's data section */
} trt_storage_t;

/* Op inputs by slot; absent optional inputs (bias) are -1.
 *   CONV_2D[_INPLACE], DEPTHWISE_CONV_2D[_INPLACE], FULLY_CONNECTED:
 *       input, filter, bias, multiplier, shift
 *   ADD: input1, input2; everything else: input */
typedef enum
{
    TRT_OP_CONV_2D = 1,
    TRT_OP_DEPTHWISE_CONV_2D = 2,
    TRT_OP_DEPTHWISE_CONV_2D_INPLACE = 3,
    TRT_OP_FULLY_CONNECTED = 4,
    TRT_OP_AVERAGE_POOL_2D = 5,
    TRT_OP_MAX_POOL_2D = 6,
    TRT_OP_ADD = 7,
    TRT_OP_SOFTMAX = 8,
    TRT_OP_RESHAPE = 9,
    TRT_OP_QUANTIZE = 10,   /* float32 -> int8 */
    TRT_OP_REQUANTIZE = 11, /* int8 -> int8 */
    TRT_OP_DEQUANTIZE = 12, /* int8 -> float32 */
    TRT_OP_CONV_2D_INPLACE = 13, /* 1x1, stride 1, no padding, Cout <= Cin */
    TRT_OP_COUNT_ = 14
} trt_op_type_t;

/* Kernel variant per op, chosen offline. Only the portable reference exists
 * so far; optimized variants get their own numbers. */
typedef enum
{
    TRT_VARIANT_REF = 0
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
    uint32_t bytes;   /* element count * element size */
    uint32_t rank;    /* 1..TRT_MAX_DIMS */
    int32_t dims[TRT_MAX_DIMS];
    int32_t zero_point;
    uint32_t scale_bits; /* IEEE-754 float32 bits; for the accessors only */
} trt_tensor_desc_t;

typedef struct
{
    uint32_t type;       /* trt_op_type_t */
    uint32_t variant;    /* trt_variant_t */
    uint32_t params_off; /* into the data section, 4-aligned */
    uint32_t params_len; /* sizeof the op's param struct (0 when it has none) */
    int32_t inputs[TRT_MAX_OP_INPUTS];
    int32_t output;
    uint32_t scratch_off; /* into the arena */
    uint32_t scratch_bytes;
} trt_op_desc_t;

#ifdef __cplusplus
}
#endif

#endif /* TINYRT_FORMAT_H */
