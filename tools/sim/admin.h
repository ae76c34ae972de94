/*
 * admin.h — the few admin-API calls that the fleet simulator and the
 * benchmarks need to put vehicles and tablets on the books before they start
 * sending positions: create a vehicle, register a tablet for it and keep the
 * device token the daemon shows once. Blocking (libcurl easy interface, one
 * kept-alive connection); used at start-up only, never inside the event loop.
 */
#ifndef JINTONG_SIM_ADMIN_H
#define JINTONG_SIM_ADMIN_H

#include <stddef.h>

struct admin_client;

/* base_url like "http://127.0.0.1:8470"; token is an operator token. */
struct admin_client *admin_open(const char *base_url, const char *token);
void admin_close(struct admin_client *ac);

/*
 * Each call returns the HTTP status (201 made, 409 already there, ...) or -1
 * when the daemon could not be reached; on anything but 201 a short reason is
 * left in err.
 */
int admin_add_vehicle(struct admin_client *ac, const char *code, const char *name,
		      int seats, int cargo_l, char *err, size_t errlen);

/* On 201 the device token is copied to token (tokenlen bytes at most). */
int admin_add_device(struct admin_client *ac, const char *device_id, const char *vehicle,
		     char *token, size_t tokenlen, char *err, size_t errlen);

/*
 * Any request: method ("POST", "PATCH", "GET"), a path ("/v1/admin/towns")
 * and a JSON body (NULL for none). Returns the HTTP status, or -1 when the
 * daemon could not be reached; unless the status is 2xx a short reason is
 * left in err.
 */
int admin_request(struct admin_client *ac, const char *method, const char *path, const char *body,
		  char *err, size_t errlen);

#endif
