/* sdnotify.c — being written */
