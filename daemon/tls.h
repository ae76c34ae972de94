/*
 * tls.h — HTTPS for tablets and booking clients on the public network,
 * natively through OpenSSL and libevent's OpenSSL bufferevents. The context
 * can be replaced while running (renewed certificates on SIGHUP); connections
 * keep the one they started with.
 */
#ifndef JINTONG_TLS_H
#define JINTONG_TLS_H

#include <stddef.h>

struct tls;
struct event_base;
struct bufferevent;

/* Loads a PEM certificate chain and key; NULL with err when they do not load or match. */
struct tls *tls_new(const char *cert_path, const char *key_path, char *err, size_t errlen);
void tls_free(struct tls *t);
/* Replaces the certificate and key; on failure keeps the old ones and returns -1 with err. */
int tls_reload(struct tls *t, const char *cert_path, const char *key_path, char *err, size_t errlen);
/* For evhttp_set_bevcb(): a bufferevent that accepts a TLS connection; arg is the struct tls. */
struct bufferevent *tls_bevcb(struct event_base *base, void *arg);

#endif
