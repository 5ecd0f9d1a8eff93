// The recording's SQLite schema: what a cntop database holds, versioned with PRAGMA user_version and
// marked as cntop's with PRAGMA application_id. Tables answer the questions people ask ("what ran at
// 03:12", "what failed in the last hour", "where did the CPU go"), not a dump of raw events.
// Times are wall-clock milliseconds since the epoch (INTEGER), taken from the kernel's monotonic
// timestamps shifted by the session's anchor (session.mono_offset_ms).

/** "cnto" in ASCII: PRAGMA application_id of every cntop recording. */
export const APPLICATION_ID = 0x636e746f;

/** The schema this build writes and reads. A file with a larger user_version is refused, never rewritten. */
export const SCHEMA_VERSION = 2;

/**
 * One statement list per version: MIGRATIONS[n - 1] takes a database from version n - 1 to n.
 * Version 1 is the first layout (an empty file is version 0); version 2 adds process.end_exact.
 */
export const MIGRATIONS: readonly string[] = [
  `
-- One row per recording run. ended_ms is a heartbeat, moved forward at every commit, so a recorder
-- killed without warning still says how far its data reaches.
CREATE TABLE session (
  id             INTEGER PRIMARY KEY,
  started_ms     INTEGER NOT NULL,
  ended_ms       INTEGER NOT NULL,
  -- NULL while running; 'stopped', 'disk-full', 'error'; 'interrupted' when the next recorder found it
  -- unmarked (killed, or the stop itself could not be written): ended_ms is then its last commit.
  stop_reason    TEXT,
  -- wall ms = monotonic ms (CLOCK_MONOTONIC, the kernel's event clock) + mono_offset_ms, for this session.
  mono_offset_ms INTEGER NOT NULL,
  boot_id        TEXT,
  hostname       TEXT,
  kernel         TEXT,
  cntop_version  TEXT,
  recorder_pid   INTEGER NOT NULL,
  -- How often live processes and host meters were sampled, ms.
  sample_ms      INTEGER NOT NULL
);

-- When the recording could see everything, and when not: 'healthy' (connector delivering, nothing lost),
-- 'lossy' (events were lost: processes may be missing or their ends unseen), 'blind' (no connector:
-- /proc polling sees only processes that live across two scans, or the connector delivers nothing).
-- Consecutive rows of one session tile it from its start to its last heartbeat.
CREATE TABLE coverage (
  id       INTEGER PRIMARY KEY,
  session  INTEGER NOT NULL,
  start_ms INTEGER NOT NULL,
  end_ms   INTEGER NOT NULL,
  state    TEXT NOT NULL,
  cause    TEXT
);
CREATE INDEX coverage_time ON coverage(end_ms);

-- One row per process lifetime (thread group) seen in a session. A process alive across several
-- sessions has a row in each. comm and cmdline are the last known: the program it ran when it ended
-- (or when the recording stopped); earlier programs are in exec.
CREATE TABLE process (
  id            INTEGER PRIMARY KEY,
  session       INTEGER NOT NULL,
  pid           INTEGER NOT NULL,
  -- The parent that created it (later parents: reparent).
  ppid          INTEGER NOT NULL,
  -- Its start; when start_exact = 0 the start is unknown and this is when the recording first saw it.
  start_ms      INTEGER NOT NULL,
  start_exact   INTEGER NOT NULL,
  -- Its exit; NULL while it ran on when the recording stopped (see session.ended_ms).
  end_ms        INTEGER,
  comm          TEXT NOT NULL,
  -- The arguments as a JSON array of strings; NULL when unreadable (kernel threads, gone too fast).
  cmdline       TEXT,
  -- Real uid (-1 unknown); user names are in the table user.
  uid           INTEGER NOT NULL,
  kthread       INTEGER NOT NULL,
  cgroup        INTEGER,
  -- How it ended: exit code, or the signal that killed it (both NULL: ended unseen, found gone by a scan).
  exit_code     INTEGER,
  exit_signal   INTEGER,
  core_dumped   INTEGER,
  -- The kernel's accounting of the exit (taskstats), NULL when none came: CPU (user + system), peak
  -- resident memory, storage I/O, page faults, context switches.
  cpu_ms        INTEGER,
  user_ms       INTEGER,
  system_ms     INTEGER,
  peak_rss_kib  INTEGER,
  read_bytes    INTEGER,
  write_bytes   INTEGER,
  minor_faults  INTEGER,
  major_faults  INTEGER,
  vol_switches  INTEGER,
  invol_switches INTEGER,
  -- The program it ran when the recording first saw it, when it later exec'd another one and was not
  -- born during the recording (born during it, it ran its parent's program until its first exec).
  first_comm    TEXT,
  first_cmdline TEXT
);
CREATE INDEX process_end ON process(end_ms);
CREATE INDEX process_start ON process(start_ms);
CREATE INDEX process_comm ON process(comm, end_ms);
CREATE INDEX process_pid ON process(pid, start_ms);
-- Processes still running at the end of their session, or that lived over an hour: the few rows a
-- question about one instant must look at besides those that ended within the hour after it.
CREATE INDEX process_long ON process(start_ms) WHERE end_ms IS NULL OR end_ms - start_ms > 3600000;

-- One row per exec: the program a process ran from t_ms on.
CREATE TABLE exec (
  id       INTEGER PRIMARY KEY,
  process  INTEGER NOT NULL,
  t_ms     INTEGER NOT NULL,
  comm     TEXT NOT NULL,
  cmdline  TEXT
);
CREATE INDEX exec_process ON exec(process, t_ms);

-- A process handed to another parent (its parent died: init or a subreaper adopts it).
CREATE TABLE reparent (
  process  INTEGER NOT NULL,
  t_ms     INTEGER NOT NULL,
  ppid     INTEGER NOT NULL
);
CREATE INDEX reparent_process ON reparent(process, t_ms);

-- Live processes' CPU and memory every sample_ms. A row is written only when something changed since
-- the process's previous row: the values hold until the next row (an idle process writes none).
CREATE TABLE sample (
  process  INTEGER NOT NULL,
  t_ms     INTEGER NOT NULL,
  -- Cumulative user + system CPU time, ms (the difference of two rows over their time apart is CPU%).
  cpu_ms   INTEGER NOT NULL,
  rss_kib  INTEGER NOT NULL,
  -- State letter from /proc/<pid>/stat (R, S, D, Z, T ...) and number of threads.
  state    TEXT NOT NULL,
  threads  INTEGER NOT NULL
);
CREATE INDEX sample_process ON sample(process, t_ms);
CREATE INDEX sample_time ON sample(t_ms);

-- The header meters every sample_ms.
CREATE TABLE host (
  t_ms           INTEGER PRIMARY KEY,
  cpu_percent    REAL NOT NULL,
  -- Busy percent of each core, JSON array.
  cores          TEXT NOT NULL,
  mem_total_kib  INTEGER NOT NULL,
  mem_used_kib   INTEGER NOT NULL,
  mem_cache_kib  INTEGER NOT NULL,
  swap_total_kib INTEGER NOT NULL,
  swap_used_kib  INTEGER NOT NULL,
  load1          REAL NOT NULL,
  load5          REAL NOT NULL,
  load15         REAL NOT NULL,
  tasks          INTEGER NOT NULL,
  running        INTEGER NOT NULL,
  threads        INTEGER NOT NULL,
  -- Connector events per second by kind over the last second.
  forks_per_s    REAL NOT NULL,
  execs_per_s    REAL NOT NULL,
  exits_per_s    REAL NOT NULL
);

CREATE TABLE user (
  uid  INTEGER PRIMARY KEY,
  name TEXT NOT NULL
);

CREATE TABLE cgroup (
  id   INTEGER PRIMARY KEY,
  path TEXT NOT NULL UNIQUE
);

-- Facts about the file itself, e.g. 'retained_from_ms': data before it was deleted by retention.
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`,
  `
-- Whether end_ms is the time of the process's exit event (1), or only when the recording learnt of
-- an end whose event was lost (0): a /proc scan found it gone (a resync after a socket overrun or a
-- sequence gap, or two refreshes in a row), or its pid was already another process's. It then ended
-- at an unknown time between its last sighting and end_ms: "alive at T" is uncertain for T in that
-- span. Rows written by version 1 predate the flag and read as exact.
ALTER TABLE process ADD COLUMN end_exact INTEGER NOT NULL DEFAULT 1;
`,
];

/** Tables every version-1 file has; a file that claims cntop's id but lacks one is damaged. */
export const REQUIRED_TABLES = [
  'session',
  'coverage',
  'process',
  'exec',
  'reparent',
  'sample',
  'host',
  'user',
  'cgroup',
  'meta',
] as const;
