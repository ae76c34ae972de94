/* admin.c — being written */
