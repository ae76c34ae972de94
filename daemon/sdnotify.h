/*
 * sdnotify.h — tells a service manager (systemd's NOTIFY_SOCKET protocol)
 * that the daemon is ready, reloading or stopping. Test harnesses use the
 * same socket to learn when to start. Without NOTIFY_SOCKET it does nothing.
 */
#ifndef JINTONG_SDNOTIFY_H
#define JINTONG_SDNOTIFY_H

/* Sends e.g. "READY=1\nSTATUS=listening on 127.0.0.1:8470". Returns -1 on failure. */
int sdnotify(const char *state);

#endif
