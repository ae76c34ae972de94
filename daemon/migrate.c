/* migrate.c — being written */
