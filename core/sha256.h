/* SHA-256 digests (OpenSSL's libcrypto), as 64 lowercase hex digits. */
#ifndef TERRAIN_SHA256_H
#define TERRAIN_SHA256_H

#include <stddef.h>

#include "error.h"

#define SHA256_HEX_LEN 64

/* Digest of len bytes of data into hex (65 bytes with the NUL). */
void sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_LEN + 1]);

/* Digest of the file at path; an unreadable file is TERRAIN_EIO naming it. */
enum status sha256_file(const char *path, char hex[SHA256_HEX_LEN + 1], struct error *err);

#endif
