// The --help text and the one-line usage printed after a usage error. Pure strings; the README's
// "Commands" section mirrors this text.
import { DEFAULT_DELAY_TENTHS, MAX_DELAY_TENTHS, MIN_DELAY_TENTHS } from './options.js';

export const USAGE_LINE = 'usage: cntop [events [--json] [--threads] | snapshot [--json] | doctor [--json] [--repair]] [options]';

export function helpText(version: string): string {
  return `cntop ${version}: an htop-style process viewer fed live by the kernel's process connector

${USAGE_LINE}

Commands:
  (none)                 open the interactive viewer (live process tree, connector panel)
  events                 stream process events, one human-readable line each (like forkstat)
    --json               NDJSON instead: one JSON object per event, flushed once per batch
    --threads            include thread events (tasks whose pid differs from their tgid)
  snapshot               print the current process tree once (pstree-like) and exit
    --json               JSON instead: a forest of {pid, ppid, user, state, comm, cmdline, threads, children}
  doctor                 check that the connector really delivers events; exit 0 healthy, 1 degraded, 2 blind
    --json               the report as JSON
    --repair             raise the kernel's listener counter by the measured deficit

Options:
  -d, --delay TENTHS     refresh interval for CPU/memory sampling, in tenths of a second
                         (${MIN_DELAY_TENTHS}-${MAX_DELAY_TENTHS}, default ${DEFAULT_DELAY_TENTHS}); events are live regardless
      --no-color         no colours (also when NO_COLOR is set and not empty)
      --ascii            ASCII tree guides and bars, for terminals without Unicode
      --no-netlink       do not open the process connector; poll /proc instead (to compare)
  -h, --help             show this help and exit
  -V, --version          show the version and exit

Exit status: 0 success (also on q, Ctrl-C, SIGTERM, SIGHUP and a closed output pipe),
1 runtime error (e.g. \`events\` without a working connector), 2 usage error.
`;
}
