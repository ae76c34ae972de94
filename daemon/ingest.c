/* ingest.c — being written */
