/*
 * countybook.h — `jintong-county book` (countybook.c): a generated county's
 * villagers book a day's rides with jintongd. Takes the command line from
 * the subcommand on and the operator token found in the environment (or
 * NULL); returns the exit status.
 */
#ifndef JINTONG_SIM_COUNTYBOOK_H
#define JINTONG_SIM_COUNTYBOOK_H

int countybook_main(int argc, char **argv, const char *token);

#endif
