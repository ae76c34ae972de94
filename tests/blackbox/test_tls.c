/*
 * HTTPS: tablets on the public network talk TLS to the daemon directly. A
 * fix sent over TLS is stored; plain HTTP on the TLS port and an untrusted
 * certificate fail; a renewed certificate is taken on SIGHUP.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

static struct h_test t;

static size_t sink(char *p, size_t size, size_t n, void *arg)
{
	return size * n;
}

/* GET over TLS trusting ca (a PEM file); returns the status, 0 if no HTTP exchange happened. */
static long get(const char *url, const char *ca, char *subject, size_t len)
{
	CURL *c = curl_easy_init();
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CAINFO, ca);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_CERTINFO, 1L);
	long st = 0;
	if (curl_easy_perform(c) == CURLE_OK) {
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &st);
		struct curl_certinfo *ci = NULL;
		if (subject && curl_easy_getinfo(c, CURLINFO_CERTINFO, &ci) == CURLE_OK && ci &&
		    ci->num_of_certs > 0) {
			for (struct curl_slist *s = ci->certinfo[0]; s; s = s->next)
				if (strncmp(s->data, "Subject:", 8) == 0)
					snprintf(subject, len, "%s", s->data);
		}
	}
	curl_easy_cleanup(c);
	return st;
}

static void make_cert(const char *dir, const char *name, const char *cn)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd,
		 "openssl req -x509 -newkey rsa:2048 -nodes -keyout '%s/%s.key' -out '%s/%s.pem'"
		 " -days 2 -subj '/CN=%s' -addext 'subjectAltName=IP:127.0.0.1' >/dev/null 2>&1",
		 dir, name, dir, name, cn);
	REQUIRE(system(cmd) == 0, "openssl could not make a certificate");
}

int main(void)
{
	h_init(&t, "tls");
	if (system("command -v openssl >/dev/null") != 0)
		return 77;
	make_cert(t.tmpdir, "a", "jintong-a");
	make_cert(t.tmpdir, "b", "jintong-b");
	char cert[512], key[512], ca_a[512], ca_b[512];
	snprintf(cert, sizeof cert, "%s/live.pem", t.tmpdir);
	snprintf(key, sizeof key, "%s/live.key", t.tmpdir);
	snprintf(ca_a, sizeof ca_a, "%s/a.pem", t.tmpdir);
	snprintf(ca_b, sizeof ca_b, "%s/b.pem", t.tmpdir);
	char cmd[2200];
	snprintf(cmd, sizeof cmd, "cp '%s/a.pem' '%s' && cp '%s/a.key' '%s'", t.tmpdir, cert, t.tmpdir, key);
	REQUIRE(system(cmd) == 0, "cp");

	/* A key that does not match the certificate is refused at start, saying so. */
	const char *bad[] = { "--listen", "127.0.0.1:0", "--tls-listen", "127.0.0.1:0",
			      "--tls-cert", ca_b, "--tls-key", key, NULL };
	char out[512];
	CHECK(h_run_daemon_once(&t, bad, out, sizeof out) == 1, "mismatched key accepted");
	CHECK(h_log_has(&t, "mismatch"), "mismatch not explained");
	const char *nokey[] = { "--tls-listen", "127.0.0.1:0", "--check-config", NULL };
	CHECK(h_run_daemon_once(&t, nokey, out, sizeof out) == 2, "tls_listen without cert accepted");

	h_create_operator(&t);
	const char *args[] = { "--tls-listen", "127.0.0.1:0", "--tls-cert", cert, "--tls-key", key, NULL };
	h_start(&t, args);
	REQUIRE(t.d.tls_url[0], "the daemon did not report its TLS address");
	h_add_vehicle(&t, "BUS-1");
	char token[128];
	h_add_device(&t, "tab-1", "BUS-1", token);

	char url[2048], subject[256] = "";
	snprintf(url, sizeof url, "%s/healthz", t.d.tls_url);
	CHECK(get(url, ca_a, subject, sizeof subject) == 200, "healthz over TLS");
	CHECK(strstr(subject, "jintong-a"), "certificate subject: %s", subject);
	snprintf(url, sizeof url, "%s/?id=tab-1&lat=30.5&lon=104.5&timestamp=%lld", t.d.tls_url,
		 (long long)time(NULL) - 10);
	CHECK(get(url, ca_a, NULL, 0) == 200, "fix over TLS");
	CHECK(h_sql_num(&t, "SELECT count(*) FROM position") == 1, "fix over TLS not stored");
	/* Not trusted by a client that expects another certificate. */
	snprintf(url, sizeof url, "%s/healthz", t.d.tls_url);
	CHECK(get(url, ca_b, NULL, 0) == 0, "untrusted certificate accepted");
	/* Plain HTTP to the TLS port gets no HTTP answer. */
	char plain[2100];
	snprintf(plain, sizeof plain, "http://%s/healthz", t.d.tls_url + 8);
	CHECK(get(plain, ca_a, NULL, 0) == 0, "plain HTTP answered on the TLS port");

	/* The certificate is renewed on disk; SIGHUP takes it. */
	snprintf(cmd, sizeof cmd, "cp '%s/b.pem' '%s' && cp '%s/b.key' '%s'", t.tmpdir, cert, t.tmpdir, key);
	REQUIRE(system(cmd) == 0, "cp");
	h_reload(&t);
	subject[0] = '\0';
	CHECK(get(url, ca_b, subject, sizeof subject) == 200, "renewed certificate not served");
	CHECK(strstr(subject, "jintong-b"), "subject after reload: %s", subject);
	CHECK(h_log_has(&t, "tls.reloaded"), "reload not logged");
	return h_finish(&t);
}
