#include "tinyrt/tinyrt.h"

const char *trt_status_str(trt_status_t status)
{
    switch (status)
    {
    case TRT_OK:
        return "ok";
    case TRT_ERR_ARG:
        return "invalid argument";
    case TRT_ERR_ALIGN:
        return "blob or arena not 4-byte aligned";
    case TRT_ERR_MAGIC:
        return "not a tinyrt model blob (bad magic)";
    case TRT_ERR_VERSION:
        return "unsupported blob format version";
    case TRT_ERR_TRUNCATED:
        return "blob truncated";
    case TRT_ERR_CRC:
        return "blob checksum mismatch";
    case TRT_ERR_SECTION:
        return "blob section out of bounds or misaligned";
    case TRT_ERR_TENSOR:
        return "invalid tensor descriptor";
    case TRT_ERR_OP:
        return "unknown op type or kernel variant";
    case TRT_ERR_OP_PARAMS:
        return "op parameters or shapes out of range";
    case TRT_ERR_ARENA_SIZE:
        return "arena too small for this model";
    case TRT_ERR_NOT_READY:
        return "model not initialised";
    case TRT_ERR_INDEX:
        return "input/output index out of range";
    case TRT_ERR_OP_NOT_LINKED:
        return "op not linked in this build (not in its op table)";
    }
    return "unknown status";
}

const char *trt_op_name(uint32_t op_type)
{
    static const char *const names[TRT_OP_COUNT_] = {
        "?",           "CONV_2D",  "DEPTHWISE_CONV_2D", "DEPTHWISE_CONV_2D_INPLACE", "FULLY_CONNECTED",
        "AVERAGE_POOL_2D", "MAX_POOL_2D", "ADD", "SOFTMAX", "RESHAPE", "QUANTIZE", "REQUANTIZE", "DEQUANTIZE",
        "CONV_2D_INPLACE",
    };
    return op_type < TRT_OP_COUNT_ ? names[op_type] : "?";
}
