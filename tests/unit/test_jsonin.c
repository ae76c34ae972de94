/*
 * String members: the lenient reader gives the default for anything but a
 * string; the strict one refuses what a request must not carry, with the
 * member named in the reason.
 */
#include <string.h>

#include <json-c/json.h>

#include "check.h"
#include "jsonin.h"

int main(void)
{
	struct json_object *o = json_tokener_parse(
		"{\"name\": \"Shangba\", \"n\": 3, \"nothing\": null, \"empty\": \"\", \"list\": [\"a\"]}");
	CHECK(o != NULL);
	CHECK_STR("a string", jsonin_str(o, "name", "-"), "Shangba");
	CHECK_STR("an empty string is a string", jsonin_str(o, "empty", "-"), "");
	CHECK_STR("a number is not", jsonin_str(o, "n", "-"), "-");
	CHECK_STR("null is not", jsonin_str(o, "nothing", "-"), "-");
	CHECK_STR("an array is not", jsonin_str(o, "list", "-"), "-");
	CHECK_STR("absent", jsonin_str(o, "missing", "-"), "-");
	CHECK_MSG("no object at all", jsonin_str(NULL, "name", NULL) == NULL);

	char out[8], err[128];
	CHECK_INT("fits", jsonin_string(o, "name", true, out, sizeof out, err, sizeof err), 0);
	CHECK_STR("copied", out, "Shangba");
	CHECK_INT("one byte too long", jsonin_string(o, "name", true, out, 7, err, sizeof err), -1);
	CHECK_MSG(err, strstr(err, "\"name\"") && strstr(err, "longer than 6"));
	CHECK_INT("required and absent", jsonin_string(o, "missing", true, out, sizeof out, err, sizeof err), -1);
	CHECK_MSG(err, strstr(err, "\"missing\" is required") != NULL);
	CHECK_INT("required and null", jsonin_string(o, "nothing", true, out, sizeof out, err, sizeof err), -1);
	strcpy(out, "x");
	CHECK_INT("optional and null", jsonin_string(o, "nothing", false, out, sizeof out, err, sizeof err), 0);
	CHECK_STR("left empty", out, "");
	CHECK_INT("a number", jsonin_string(o, "n", false, out, sizeof out, err, sizeof err), -1);
	CHECK_MSG(err, strstr(err, "\"n\" must be a string") != NULL);
	json_object_put(o);

	/* A NUL inside the string: json-c keeps the length, the copy would be cut short. */
	struct json_object *nul = json_object_new_object();
	json_object_object_add(nul, "rider", json_object_new_string_len("ab\0cd", 5));
	CHECK_INT("a NUL inside", jsonin_string(nul, "rider", true, out, sizeof out, err, sizeof err), -1);
	CHECK_MSG(err, strstr(err, "NUL") != NULL);
	json_object_put(nul);
	return check_done("test_jsonin");
}
