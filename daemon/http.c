/* http.c — being written */
