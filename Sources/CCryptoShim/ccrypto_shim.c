#include "ccrypto_shim.h"

int ccrypto_hmac_sha1(void *hmac, void *sha1, const void *key, int key_length, const unsigned char *data,
                      size_t data_length, unsigned char *out) {
    const EVP_MD *md = ((ccrypto_evp_md_fn)sha1)();
    if (md == NULL) return 0;
    unsigned int length = 0;
    if (((ccrypto_hmac_fn)hmac)(md, key, key_length, data, data_length, out, &length) == NULL) return 0;
    return length == SHA_DIGEST_LENGTH;
}
