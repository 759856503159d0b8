#include "tinyrt/tinyrt.h"

const char *trt_status_str(trt_status_t status)
{
    switch (status)
    {
#define CASE_(name, value, text)                                                                                       \
    case TRT_##name:                                                                                                   \
        return text;
        TRT_STATUS_LIST(CASE_)
#undef CASE_
    }
    return "unknown status";
}

const char *trt_op_name(uint32_t op_type)
{
    static const char *const names[TRT_OP_COUNT_] = {
        "?",
#define NAME_(NAME, name, bytes) #NAME,
        TRT_OP_LIST(NAME_)
#undef NAME_
    };
    return op_type < TRT_OP_COUNT_ ? names[op_type] : "?";
}

const char *trt_variant_name(uint32_t variant)
{
    static const char *const names[TRT_VARIANT_COUNT_] = {
#define NAME_(NAME, name) #NAME,
        TRT_VARIANT_LIST(NAME_)
#undef NAME_
    };
    return variant < TRT_VARIANT_COUNT_ ? names[variant] : "?";
}
