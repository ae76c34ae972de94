/*
 * token.h — secrets for tablets and operators. A token is 32 random bytes in
 * base64url (43 characters); only its SHA-256 is ever stored or kept in memory.
 */
#ifndef JINTONG_TOKEN_H
#define JINTONG_TOKEN_H

#include <stdint.h>
#include <stddef.h>

#define TOKEN_LEN 43
#define TOKEN_HASH_LEN 32
#define TOKEN_HASH_HEX_LEN 64

/* Writes a new random token (TOKEN_LEN chars + NUL). Returns -1 if the system has no randomness. */
int token_generate(char out[TOKEN_LEN + 1]) __attribute__((warn_unused_result));
void token_hash(const char *token, size_t len, uint8_t out[TOKEN_HASH_LEN]);
void token_hex(const uint8_t hash[TOKEN_HASH_LEN], char out[TOKEN_HASH_HEX_LEN + 1]);
/* Parses "\x<64 hex>" as PostgreSQL prints bytea; -1 if malformed. */
int token_parse_pg_hex(const char *s, uint8_t out[TOKEN_HASH_LEN]) __attribute__((warn_unused_result));
/* Extracts the token of an "Authorization: Bearer <token>" header value, or NULL. */
const char *token_from_bearer(const char *header, size_t *len);

#endif
