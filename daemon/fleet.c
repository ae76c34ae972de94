/* fleet.c — being written */
