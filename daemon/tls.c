/*
 * tls.c — OpenSSL server contexts for the HTTPS listener; see tls.h.
 *
 * TLS 1.2 at least; OpenSSL's default cipher suites for those versions.
 */
#include "tls.h"

#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>

#include "log.h"
#include "util.h"

struct tls {
	SSL_CTX *ctx;
};

static void openssl_error(char *err, size_t errlen, const char *what, const char *path)
{
	unsigned long e = ERR_get_error();
	char reason[256] = "";
	if (e)
		ERR_error_string_n(e, reason, sizeof reason);
	ERR_clear_error();
	snprintf(err, errlen, "%s %s: %s", what, path, reason[0] ? reason : "failed");
}

static SSL_CTX *load(const char *cert_path, const char *key_path, char *err, size_t errlen)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	if (!ctx)
		fatal("OpenSSL cannot make a TLS context");
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
	if (SSL_CTX_use_certificate_chain_file(ctx, cert_path) != 1) {
		openssl_error(err, errlen, "certificate", cert_path);
		goto fail;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, key_path, SSL_FILETYPE_PEM) != 1) {
		openssl_error(err, errlen, "key", key_path);
		goto fail;
	}
	if (SSL_CTX_check_private_key(ctx) != 1) {
		openssl_error(err, errlen, "key does not match the certificate", key_path);
		goto fail;
	}
	return ctx;
fail:
	SSL_CTX_free(ctx);
	return NULL;
}

struct tls *tls_new(const char *cert_path, const char *key_path, char *err, size_t errlen)
{
	SSL_CTX *ctx = load(cert_path, key_path, err, errlen);
	if (!ctx)
		return NULL;
	struct tls *t = xcalloc(1, sizeof *t);
	t->ctx = ctx;
	return t;
}

void tls_free(struct tls *t)
{
	if (!t)
		return;
	SSL_CTX_free(t->ctx);
	free(t);
}

int tls_reload(struct tls *t, const char *cert_path, const char *key_path, char *err, size_t errlen)
{
	SSL_CTX *ctx = load(cert_path, key_path, err, errlen);
	if (!ctx)
		return -1;
	/* Connections hold their own reference to the old context. */
	SSL_CTX_free(t->ctx);
	t->ctx = ctx;
	return 0;
}

struct bufferevent *tls_bevcb(struct event_base *base, void *arg)
{
	struct tls *t = arg;
	SSL *ssl = SSL_new(t->ctx);
	if (!ssl) {
		log_error("tls.no_session", "reason=out_of_memory");
		return NULL;
	}
	return bufferevent_openssl_socket_new(base, -1, ssl, BUFFEREVENT_SSL_ACCEPTING,
					      BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS);
}
