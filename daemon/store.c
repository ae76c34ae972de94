/* store.c — being written */
