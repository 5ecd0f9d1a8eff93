/* Fork-storm load generator for `npm run bench`: forks children that either _exit(0) at once or exec
 * /bin/true, at a target rate or as fast as the machine allows, for a fixed duration, then prints one
 * JSON line saying exactly what it did (children started, fork failures, elapsed time, achieved rate). */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct options {
  int exec_true;        /* 1: child execs /bin/true; 0: child calls _exit(0) */
  double rate;          /* children per second; 0 = as fast as possible */
  double duration_s;
  int max_in_flight;    /* children not yet reaped before the generator blocks in wait */
};

struct tally {
  long started, fork_failures, reaped, nonzero_exits;
  int first_pid, last_pid;
};

static volatile sig_atomic_t stop_requested = 0;
static void on_stop(int sig) { (void)sig; stop_requested = 1; }

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void usage_exit(const char *why) {
  fprintf(stderr, "storm: %s\nusage: storm --mode exit|exec [--rate N] --duration S [--in-flight N]\n", why);
  exit(2);
}

static struct options parse_options(int argc, char **argv) {
  struct options o = { 0, 0.0, 0.0, 64 };
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (i + 1 >= argc) usage_exit("missing value");
    const char *v = argv[++i];
    if (strcmp(a, "--mode") == 0) {
      if (strcmp(v, "exit") == 0) o.exec_true = 0;
      else if (strcmp(v, "exec") == 0) o.exec_true = 1;
      else usage_exit("mode must be exit or exec");
    } else if (strcmp(a, "--rate") == 0) o.rate = atof(v);
    else if (strcmp(a, "--duration") == 0) o.duration_s = atof(v);
    else if (strcmp(a, "--in-flight") == 0) o.max_in_flight = atoi(v);
    else usage_exit("unknown option");
  }
  if (o.duration_s <= 0 || o.rate < 0 || o.max_in_flight < 1) usage_exit("bad values");
  return o;
}

/* Reaps children; blocks for one only when `block` is set. Returns how many were reaped. */
static long reap(struct tally *t, int block) {
  long n = 0;
  int status;
  for (;;) {
    pid_t p = waitpid(-1, &status, (block && n == 0) ? 0 : WNOHANG);
    if (p <= 0) break;
    n++;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) t->nonzero_exits++;
  }
  t->reaped += n;
  return n;
}

static void start_child(const struct options *o, struct tally *t) {
  pid_t p = fork();
  if (p == 0) {
    if (o->exec_true) {
      execl("/bin/true", "true", (char *)NULL);
      _exit(127);
    }
    _exit(0);
  }
  if (p < 0) { t->fork_failures++; return; }
  if (t->started == 0) t->first_pid = p;
  t->last_pid = p;
  t->started++;
}

/* Paces to the target rate by sleeping until the next child's due time (absolute, so no drift). */
static void wait_until_due(const struct options *o, double t0, long index) {
  if (o->rate <= 0) return;
  double due = t0 + (double)index / o->rate;
  double ahead = due - now_s();
  if (ahead <= 0) return;
  struct timespec ts = { (time_t)ahead, (long)((ahead - (double)(time_t)ahead) * 1e9) };
  nanosleep(&ts, NULL);
}

int main(int argc, char **argv) {
  struct options o = parse_options(argc, argv);
  struct tally t = { 0, 0, 0, 0, 0, 0 };
  signal(SIGINT, on_stop);
  signal(SIGTERM, on_stop);
  double t0 = now_s(), end = t0 + o.duration_s;
  while (!stop_requested && now_s() < end) {
    wait_until_due(&o, t0, t.started + t.fork_failures);
    if (t.started - t.reaped >= o.max_in_flight) reap(&t, 1);
    start_child(&o, &t);
    reap(&t, 0);
  }
  double forked_s = now_s() - t0;
  while (t.reaped < t.started && reap(&t, 1) > 0) {}
  double elapsed = now_s() - t0;
  printf("{\"mode\":\"%s\",\"pid\":%d,\"targetRate\":%.0f,\"durationS\":%.3f,\"forkingS\":%.6f,"
         "\"elapsedS\":%.6f,\"children\":%ld,\"forkFailures\":%ld,\"reaped\":%ld,\"nonzeroExits\":%ld,"
         "\"childrenPerS\":%.1f,\"firstPid\":%d,\"lastPid\":%d}\n",
         o.exec_true ? "exec" : "exit", (int)getpid(), o.rate, o.duration_s, forked_s, elapsed, t.started,
         t.fork_failures, t.reaped, t.nonzero_exits, (double)t.started / forked_s, t.first_pid, t.last_pid);
  return 0;
}
