/*
 * token.c — generating and hashing secrets with OpenSSL's libcrypto.
 */
#include "token.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <string.h>
#include <strings.h>

#include "util.h"

int token_generate(char out[TOKEN_LEN + 1])
{
	static const char b64url[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	uint8_t raw[33];
	if (RAND_bytes(raw, sizeof raw) != 1)
		return -1;
	/* 43 characters carry 258 bits; the last one uses 6 bits of raw[32]. */
	for (size_t i = 0; i < TOKEN_LEN; i++) {
		size_t bit = i * 6;
		unsigned v = ((unsigned)raw[bit / 8] << 8 | raw[bit / 8 + 1]) >> (10 - bit % 8);
		out[i] = b64url[v & 63];
	}
	out[TOKEN_LEN] = '\0';
	return 0;
}

void token_hash(const char *token, size_t len, uint8_t out[TOKEN_HASH_LEN])
{
	unsigned int n = 0;
	if (EVP_Digest(token, len, out, &n, EVP_sha256(), NULL) != 1 || n != TOKEN_HASH_LEN)
		fatal("SHA-256 is not available from libcrypto");
}

void token_hex(const uint8_t hash[TOKEN_HASH_LEN], char out[TOKEN_HASH_HEX_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < TOKEN_HASH_LEN; i++) {
		out[2 * i] = hex[hash[i] >> 4];
		out[2 * i + 1] = hex[hash[i] & 15];
	}
	out[TOKEN_HASH_HEX_LEN] = '\0';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int token_parse_pg_hex(const char *s, uint8_t out[TOKEN_HASH_LEN])
{
	if (strncmp(s, "\\x", 2) != 0 || strlen(s) != 2 + TOKEN_HASH_HEX_LEN)
		return -1;
	s += 2;
	for (size_t i = 0; i < TOKEN_HASH_LEN; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

const char *token_from_bearer(const char *header, size_t *len)
{
	if (!header || strncasecmp(header, "Bearer ", 7) != 0)
		return NULL;
	const char *t = header + 7;
	while (*t == ' ')
		t++;
	size_t n = strlen(t);
	while (n && (t[n - 1] == ' ' || t[n - 1] == '\r' || t[n - 1] == '\n'))
		n--;
	if (n == 0 || n > 256)
		return NULL;
	*len = n;
	return t;
}
