/* Spawns N idle processes for the 10,000-process benchmarks: each child sleeps in pause() until the
 * swarm ends. Every child dies with the swarm (PR_SET_PDEATHSIG), and the swarm dies with whoever
 * started it, so no path (crash, kill -9 of the bench) leaves idle processes behind.
 * Prints "ready <n>" once all children exist; on SIGTERM/SIGINT/stdin EOF it kills and reaps them. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t stop_requested = 0;
static void on_stop(int sig) { (void)sig; stop_requested = 1; }

static void child_main(pid_t swarm) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != swarm) _exit(0); /* the swarm died between fork and prctl */
  for (;;) pause();
}

static void kill_and_reap(pid_t *pids, long n) {
  for (long i = 0; i < n; i++) kill(pids[i], SIGKILL);
  while (waitpid(-1, NULL, 0) > 0 || errno == EINTR) {}
}

int main(int argc, char **argv) {
  long want = argc > 1 ? atol(argv[1]) : 0;
  if (want <= 0) { fprintf(stderr, "usage: idle-swarm N\n"); return 2; }
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  struct sigaction sa = { 0 };
  sa.sa_handler = on_stop; /* no SA_RESTART: poll() must return on the signal */
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  pid_t *pids = calloc((size_t)want, sizeof *pids);
  if (!pids) return 1;
  pid_t self = getpid();
  long n = 0;
  for (; n < want && !stop_requested; n++) {
    pid_t p = fork();
    if (p == 0) child_main(self);
    if (p < 0) { fprintf(stderr, "idle-swarm: fork failed after %ld children\n", n); break; }
    pids[n] = p;
  }
  printf("ready %ld\n", n);
  fflush(stdout);
  /* Wait for a stop signal, or for stdin to close (the bench's pipe ends when the bench does). */
  struct pollfd in = { 0, POLLIN, 0 };
  while (!stop_requested) {
    int r = poll(&in, 1, -1);
    if (r > 0 && (in.revents & (POLLHUP | POLLERR | POLLIN))) {
      char buf[64];
      if (read(0, buf, sizeof buf) <= 0) break;
    }
  }
  kill_and_reap(pids, n);
  printf("done %ld\n", n);
  return n == want ? 0 : 1;
}
