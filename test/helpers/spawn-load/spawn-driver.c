// usage: spawn-driver RATE SECONDS REPORT PROGRAM [ARG...]
// Starts PROGRAM (argv[0]: its base name) RATE times a second on an absolute schedule (a late start is
// caught up, so the average rate holds on a loaded machine) for SECONDS or until SIGTERM, reaping as it
// goes. Before the first, it starts each path in $LIVE (colon separated) once as `<base name> 600`, and each in
// $LIVE_LATER the same way $LIVE_LATER_MS into the run (after hundreds of short siblings): long-lived
// children it ends with SIGTERM before it exits. Then it writes one JSON line to REPORT: runs, elapsedMs,
// childCpuMs (user + system time of its reaped children), selfCpuMs (its own cost: the spawning),
// lateMs (the largest lag behind the schedule) and spawnErrors.
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;
static volatile sig_atomic_t stop_requested = 0;

static void on_term(int sig) { (void)sig; stop_requested = 1; }

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static double tv_ms(struct timeval tv) { return (double)tv.tv_sec * 1e3 + (double)tv.tv_usec / 1e3; }

static const char *base_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash == NULL ? path : slash + 1;
}

/** Starts each path of the colon-separated list as `<base name> 600`; returns how many started. */
static int start_long_lived(const char *list, pid_t *pids, int room) {
  int started = 0;
  if (list == NULL || list[0] == '\0') return 0;
  char *paths = strdup(list);
  for (char *path = strtok(paths, ":"); path != NULL && started < room; path = strtok(NULL, ":")) {
    char *live_argv[] = {(char *)base_name(path), "600", NULL};
    if (posix_spawn(&pids[started], path, NULL, NULL, live_argv, environ) == 0) started++;
  }
  free(paths);
  return started;
}

static void reap(int options) {
  while (waitpid(-1, NULL, options) > 0) {}
}

int main(int argc, char **argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: spawn-driver RATE SECONDS REPORT PROGRAM [ARG...]\n");
    return 2;
  }
  double rate = atof(argv[1]);
  double seconds = atof(argv[2]);
  const char *report = argv[3];
  char **program_argv = &argv[4];
  const char *program = argv[4];
  program_argv[0] = (char *)base_name(program);

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_term;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);

  pid_t live[32];
  int live_count = start_long_lived(getenv("LIVE"), live, 16);
  const char *later = getenv("LIVE_LATER");
  const char *later_ms_env = getenv("LIVE_LATER_MS");
  double later_ms = later_ms_env == NULL ? 0 : atof(later_ms_env);
  int later_started = later == NULL || later[0] == '\0';

  double start = now_ms();
  double end = start + seconds * 1e3;
  double period = 1e3 / rate;
  double late_ms = 0;
  long runs = 0;
  long spawn_errors = 0;
  while (!stop_requested) {
    double due = start + (double)runs * period;
    if (due >= end) break;
    double now = now_ms();
    if (due > now) {
      long wait_ns = (long)((due - now) * 1e6);
      struct timespec wait = {.tv_sec = wait_ns / 1000000000L, .tv_nsec = wait_ns % 1000000000L};
      nanosleep(&wait, NULL);
      continue; // re-check the stop flag and the clock
    }
    if (now - due > late_ms) late_ms = now - due;
    if (!later_started && now - start >= later_ms) {
      live_count += start_long_lived(later, &live[live_count], 16);
      later_started = 1;
    }
    pid_t pid;
    if (posix_spawn(&pid, program, NULL, NULL, program_argv, environ) != 0) spawn_errors++;
    runs++;
    reap(WNOHANG); // the finished ones (the long-lived do not finish before they are told to)
  }
  double elapsed = now_ms() - start;
  for (int i = 0; i < live_count; i++) kill(live[i], SIGTERM);
  reap(0);

  struct rusage self, children;
  getrusage(RUSAGE_SELF, &self);
  getrusage(RUSAGE_CHILDREN, &children);
  FILE *out = fopen(report, "w");
  if (out == NULL) return 1;
  fprintf(out, "{\"runs\":%ld,\"elapsedMs\":%.1f,\"childCpuMs\":%.1f,\"selfCpuMs\":%.1f,\"lateMs\":%.1f,\"spawnErrors\":%ld}\n", runs, elapsed,
          tv_ms(children.ru_utime) + tv_ms(children.ru_stime), tv_ms(self.ru_utime) + tv_ms(self.ru_stime), late_ms, spawn_errors);
  fclose(out);
  return 0;
}
