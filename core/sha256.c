#include "sha256.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void to_hex(const unsigned char *md, unsigned n, char *hex)
{
	static const char digits[] = "0123456789abcdef";
	for (unsigned i = 0; i < n; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[2 * n] = '\0';
}

void sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_LEN + 1])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = 0;
	/* EVP_Digest with SHA-256 fails only on allocation failure. */
	if (!EVP_Digest(data, len, md, &n, EVP_sha256(), NULL)) {
		fputs("terrain: out of memory\n", stderr);
		exit(1);
	}
	to_hex(md, n, hex);
}

enum status sha256_file(const char *path, char hex[SHA256_HEX_LEN + 1], struct error *err)
{
	enum status st = TERRAIN_OK;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	FILE *fp = fopen(path, "rb");
	unsigned char buf[65536];
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = 0;

	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
		st = error_set(err, TERRAIN_EIO, "cannot start a sha256 digest");
		goto out;
	}
	if (!fp) {
		st = error_set(err, TERRAIN_EIO, "cannot open \"%s\": %s", path, strerror(errno));
		goto out;
	}
	for (;;) {
		size_t got = fread(buf, 1, sizeof(buf), fp);
		if (got)
			EVP_DigestUpdate(ctx, buf, got);
		if (got < sizeof(buf))
			break;
	}
	if (ferror(fp)) {
		st = error_set(err, TERRAIN_EIO, "cannot read \"%s\": %s", path, strerror(errno));
		goto out;
	}
	EVP_DigestFinal_ex(ctx, md, &n);
	to_hex(md, n, hex);
out:
	if (fp)
		fclose(fp);
	EVP_MD_CTX_free(ctx);
	return st;
}
