// Burns BURN_MS (argv[1], default 5) milliseconds of CPU time counted from the fork (exec and the dynamic
// loader included, as taskstats counts them), then exits 0: one run of "a program that costs 5 ms".
#include <stdlib.h>
#include <time.h>

static double process_cpu_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
  double target_ms = argc > 1 ? atof(argv[1]) : 5.0;
  volatile unsigned long spins = 0;
  while (process_cpu_ms() < target_ms) spins++;
  return 0;
}
