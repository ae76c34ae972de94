/* token.c — being written */
