/* osmand.c — being written */
