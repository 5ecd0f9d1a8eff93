// Children with known behaviour for the exit-accounting tests, and the kernel's own figure for them:
// every mode waits for its children and prints "<pid> <RUSAGE_CHILDREN user+system in ms>" last, the
// CPU the kernel charged to this process's reaped descendants.
//   burn N MS           N children in turn, each spinning for about MS ms of CPU (CPU-bound, never
//                       reading its own CPU clock, so the scheduler's runtime is not brought up to date:
//                       the parent measures how many iterations a millisecond takes, first)
//   touch MIB           one child that writes every page of MIB MiB, then exits
//   threads K MS        one child with K threads, each spinning for about MS ms of CPU, exiting with 5
//   run PROGRAM ARGS... one child running PROGRAM (e.g. a build), its exit status printed first
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void spin(unsigned long iters) {
  volatile unsigned long sink = 0;
  for (unsigned long i = 0; i < iters; i++) sink += i;
}

static double cpu_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

// Iterations of spin() per ms of CPU on this machine now, measured over ~50 ms in the parent, so that the
// children can burn a known time without reading their clock (which would keep their runtime current).
static unsigned long iterations_per_ms(void) {
  unsigned long iters = 100000;
  for (;;) {
    double start = cpu_ms();
    spin(iters);
    double took = cpu_ms() - start;
    if (took >= 50) return (unsigned long)(iters / took);
    iters *= 2;
  }
}

static void *thread_spin(void *arg) {
  spin(*(unsigned long *)arg);
  return NULL;
}

static void report(void) {
  struct rusage usage;
  getrusage(RUSAGE_CHILDREN, &usage);
  double ms = usage.ru_utime.tv_sec * 1e3 + usage.ru_utime.tv_usec / 1e3 + usage.ru_stime.tv_sec * 1e3 + usage.ru_stime.tv_usec / 1e3;
  printf("%d %.3f\n", (int)getpid(), ms);
}

int main(int argc, char **argv) {
  if (argc >= 4 && strcmp(argv[1], "burn") == 0) {
    int n = atoi(argv[2]);
    unsigned long iters = (unsigned long)(atof(argv[3]) * iterations_per_ms());
    for (int i = 0; i < n; i++) {
      pid_t child = fork();
      if (child == 0) {
        spin(iters);
        _exit(0);
      }
      waitpid(child, NULL, 0);
    }
  } else if (argc >= 3 && strcmp(argv[1], "touch") == 0) {
    size_t bytes = (size_t)atoi(argv[2]) << 20;
    pid_t child = fork();
    if (child == 0) {
      volatile char *block = malloc(bytes);
      for (size_t at = 0; at < bytes; at += 4096) block[at] = 1;
      _exit(0);
    }
    waitpid(child, NULL, 0);
  } else if (argc >= 4 && strcmp(argv[1], "threads") == 0) {
    int k = atoi(argv[2]);
    unsigned long iters = (unsigned long)(atof(argv[3]) * iterations_per_ms());
    pid_t child = fork();
    if (child == 0) {
      pthread_t threads[16];
      if (k > 16) k = 16;
      for (int i = 0; i < k; i++) pthread_create(&threads[i], NULL, thread_spin, &iters);
      for (int i = 0; i < k; i++) pthread_join(threads[i], NULL);
      _exit(5);
    }
    waitpid(child, NULL, 0);
  } else if (argc >= 3 && strcmp(argv[1], "run") == 0) {
    pid_t child = fork();
    if (child == 0) {
      execvp(argv[2], argv + 2);
      _exit(127);
    }
    int status = 0;
    waitpid(child, &status, 0);
    printf("status %d\n", status);
  } else {
    fprintf(stderr, "usage: accounting_probe burn N ITERS | touch MIB | threads K ITERS | run PROGRAM ARGS...\n");
    return 2;
  }
  report();
  return 0;
}
