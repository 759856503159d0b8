/* tinyrt status codes: TRT_OK, or a negative error that names what was wrong. */
#ifndef TINYRT_STATUS_H
#define TINYRT_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum
{
    TRT_OK = 0,
    TRT_ERR_ARG = -1,          /* NULL pointer or bad argument */
    TRT_ERR_ALIGN = -2,        /* blob or arena not 4-byte aligned */
    TRT_ERR_MAGIC = -3,        /* not a tinyrt blob */
    TRT_ERR_VERSION = -4,      /* blob format version not supported by this runtime */
    TRT_ERR_TRUNCATED = -5,    /* blob shorter than its header says */
    TRT_ERR_CRC = -6,          /* blob checksum mismatch */
    TRT_ERR_SECTION = -7,      /* a section lies outside the blob or is misaligned */
    TRT_ERR_TENSOR = -8,       /* a tensor descriptor is invalid */
    TRT_ERR_OP = -9,           /* unknown op type or kernel variant */
    TRT_ERR_OP_PARAMS = -10,   /* op parameters or shapes out of range */
    TRT_ERR_ARENA_SIZE = -11,  /* arena smaller than the model needs */
    TRT_ERR_NOT_READY = -12,   /* model not initialised */
    TRT_ERR_INDEX = -13,       /* input/output index out of range */
    TRT_ERR_OP_NOT_LINKED = -14 /* op valid, but this build's op table leaves it out (tinyrt/ops.h) */
} trt_status_t;

/* A short, static description of a status code. */
const char *trt_status_str(trt_status_t status);

#ifdef __cplusplus
}
#endif

#endif /* TINYRT_STATUS_H */
