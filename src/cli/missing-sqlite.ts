// better-sqlite3 (the recorder's storage) is an optional dependency (docs/PACKAGING.md): on a server
// without a compiler that cannot download its upstream prebuilt, npm leaves it out and everything but
// recording works. This turns the error of loading it into a sentence the user can act on.

/** The message for a failed load of better-sqlite3, or null when `error` is about something else. */
export function describeMissingSqlite(error: unknown): string | null {
  const message = error instanceof Error ? error.message : String(error);
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const absent = (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && /better-sqlite3/.test(message);
  // Present but without a binary that loads: "Could not locate the bindings file", or a dlopen error.
  const unbuilt = /bindings file|better_sqlite3\.node/.test(message);
  if (!absent && !unbuilt) return null;
  return (
    'recording needs the optional package better-sqlite3, which did not install here (it compiles a native module, ' +
    'and at install time there was neither a prebuilt binary it could download nor a compiler); ' +
    'install g++, make and python3 (or allow the download) and install cntop again. Everything else in cntop works without it.'
  );
}
