/* tinyrt status codes: TRT_OK, or a negative error that names what was wrong. */
#ifndef TINYRT_STATUS_H
#define TINYRT_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

/* X(NAME, value, description): the enum and trt_status_str() come from this
 * list; python/tinyrt/format.py mirrors it. */
#define TRT_STATUS_LIST(X)                                                                                             \
    X(OK, 0, "ok")                                                                                                     \
    X(ERR_ARG, -1, "invalid argument")                                                                                 \
    X(ERR_ALIGN, -2, "blob or arena not 4-byte aligned")                                                               \
    X(ERR_MAGIC, -3, "not a tinyrt model blob (bad magic)")                                                            \
    X(ERR_VERSION, -4, "blob format version newer than this runtime")                                                  \
    X(ERR_TRUNCATED, -5, "blob truncated")                                                                             \
    X(ERR_CRC, -6, "blob checksum mismatch")                                                                           \
    X(ERR_SECTION, -7, "blob section out of bounds or misaligned")                                                     \
    X(ERR_TENSOR, -8, "invalid tensor descriptor")                                                                     \
    X(ERR_OP, -9, "unknown op type or kernel variant")                                                                 \
    X(ERR_OP_PARAMS, -10, "op parameters, operands or shapes out of range")                                            \
    X(ERR_ARENA_SIZE, -11, "arena too small for this model")                                                           \
    X(ERR_NOT_READY, -12, "model not initialised")                                                                     \
    X(ERR_INDEX, -13, "input/output index out of range")                                                               \
    X(ERR_OP_NOT_LINKED, -14, "op or kernel variant not linked in this build (not in its op table)")                   \
    X(ERR_OLD_VERSION, -15, "blob of an older format version: convert the model again with this tinyrt")

typedef enum
{
#define TRT_STATUS_ENUM_(name, value, text) TRT_##name = value,
    TRT_STATUS_LIST(TRT_STATUS_ENUM_)
#undef TRT_STATUS_ENUM_
} trt_status_t;

/* A short, static description of a status code. */
const char *trt_status_str(trt_status_t status);

#ifdef __cplusplus
}
#endif

#endif /* TINYRT_STATUS_H */
