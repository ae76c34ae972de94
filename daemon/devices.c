/* devices.c — being written */
