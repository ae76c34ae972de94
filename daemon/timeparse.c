/* timeparse.c — being written */
