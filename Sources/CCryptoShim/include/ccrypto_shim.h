#ifndef CCRYPTO_SHIM_H
#define CCRYPTO_SHIM_H

// libcrypto's HMAC, for Synapse's shared-secret registration. libcrypto itself is opened with
// dlopen only when a registration goes through Synapse (see Core/HTTP/LibCrypto.swift), so the
// header gives the types and this file calls the functions that dlsym found.
#include <stddef.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

typedef const EVP_MD *(*ccrypto_evp_md_fn)(void);
typedef unsigned char *(*ccrypto_hmac_fn)(const EVP_MD *, const void *, int, const unsigned char *, size_t,
                                          unsigned char *, unsigned int *);

/// HMAC-SHA1 of `data` under `key` into `out` (SHA_DIGEST_LENGTH bytes). Returns 1 on success.
int ccrypto_hmac_sha1(void *hmac, void *sha1, const void *key, int key_length, const unsigned char *data,
                      size_t data_length, unsigned char *out);

#endif
