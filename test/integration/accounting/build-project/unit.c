/* Compiled eight times with a different UNIT: enough work for the compiler to be seen on the CPU. */
#define NAME_(n) unit_##n
#define NAME(n) NAME_(n)
static int table[256];
int NAME(UNIT)(int x) {
  for (int i = 0; i < 256; i++) table[i] = (i * UNIT) ^ x;
  int sum = 0;
  for (int i = 0; i < 256; i++) sum += table[i] % 7;
  return sum;
}
