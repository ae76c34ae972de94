/*
 * placebody.h — a location group's or a zone's JSON body, checked: the
 * record as kept and served, or why it is refused.
 */
#ifndef JINTONG_PLACEBODY_H
#define JINTONG_PLACEBODY_H

#include <json-c/json.h>

#include "catalog.h"

/*
 * The record a request asks for (a location group when groups, else a
 * zone): `in` alone when adding (base NULL), or merged over `base` when
 * editing. Asks exists(arg, "stops", code) about a group's stops. Returns a
 * new record, or NULL with err.
 */
struct json_object *placebody_build(bool groups, struct json_object *in, struct json_object *base,
				    catalog_exists_fn exists, void *arg, char *err, size_t errlen);

#endif
