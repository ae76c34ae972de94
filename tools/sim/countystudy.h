/*
 * countystudy.h — the studies `jintong-county` runs on a generated county's
 * day (countystudy.c): each takes the command line from the subcommand on
 * and returns the exit status.
 */
#ifndef JINTONG_SIM_COUNTYSTUDY_H
#define JINTONG_SIM_COUNTYSTUDY_H

int countystudy_demand(int argc, char **argv);
int countystudy_compare(int argc, char **argv);
int countystudy_yardsticks(int argc, char **argv);

#endif
