#include "ccurl_shim.h"

CURLcode ccurl_setopt_long(void *setopt, CURL *handle, CURLoption option, long value) {
    return ((ccurl_setopt_fn)setopt)(handle, option, value);
}

CURLcode ccurl_setopt_pointer(void *setopt, CURL *handle, CURLoption option, const void *value) {
    return ((ccurl_setopt_fn)setopt)(handle, option, value);
}

CURLcode ccurl_setopt_write(void *setopt, CURL *handle, ccurl_write_fn callback) {
    return ((ccurl_setopt_fn)setopt)(handle, CURLOPT_WRITEFUNCTION, callback);
}

CURLcode ccurl_getinfo_long(void *getinfo, CURL *handle, CURLINFO info, long *value) {
    return ((ccurl_getinfo_fn)getinfo)(handle, info, value);
}
