/**
 * The value, or a thrown error naming what was missing: a test that needs a value to go on fails
 * there with a clear message instead of a TypeError further down (and without a `!` assertion).
 */
export function present<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`expected ${what}, got ${String(value)}`);
  return value;
}

/** The pid of a spawned child; spawn() leaves it undefined when the program could not be started. */
export function childPid(child: { readonly pid?: number | undefined }, what = 'the child'): number {
  return present(child.pid, `the pid of ${what}`);
}
