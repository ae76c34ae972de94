/* fix.c — being written */
