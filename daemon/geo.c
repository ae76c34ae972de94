/* geo.c — being written */
