#ifndef CCURL_SHIM_H
#define CCURL_SHIM_H

// libcurl's option and info setters are variadic, which Swift cannot call. libcurl itself is
// opened with dlopen only when a mode needs HTTP (see Core/HTTP/LibCurl.swift), so these take the
// function that dlsym found and call it with the one argument type each option needs.
#include <curl/curl.h>

typedef CURLcode (*ccurl_setopt_fn)(CURL *, CURLoption, ...);
typedef CURLcode (*ccurl_getinfo_fn)(CURL *, CURLINFO, ...);
typedef size_t (*ccurl_write_fn)(char *, size_t, size_t, void *);

CURLcode ccurl_setopt_long(void *setopt, CURL *handle, CURLoption option, long value);
CURLcode ccurl_setopt_pointer(void *setopt, CURL *handle, CURLoption option, const void *value);
CURLcode ccurl_setopt_write(void *setopt, CURL *handle, ccurl_write_fn callback);
CURLcode ccurl_getinfo_long(void *getinfo, CURL *handle, CURLINFO info, long *value);

#endif
