/* strmap.c — being written */
