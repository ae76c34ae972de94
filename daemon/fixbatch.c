/* fixbatch.c — being written */
