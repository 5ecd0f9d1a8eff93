// The --help text and the one-line usage printed after a usage error. Pure strings; the README's
// "Commands" section mirrors this text.
import { DEFAULT_DELAY_TENTHS, MAX_DELAY_TENTHS, MIN_DELAY_TENTHS } from './options.js';
import { DEFAULT_HIGHLIGHT_SECONDS, HTOP_SORT_NAMES } from './viewer-settings.js';
import { DEFAULT_MAX_COMMANDS, MAX_MAX_COMMANDS } from '../exporter/command-slots.js';
import { DEFAULT_LISTEN, formatListenAddress } from '../exporter/listen-address.js';

export const USAGE_LINE = 'usage: cntop [events [--json] [--threads] | snapshot [--json] | doctor [--json] [--repair] | exporter [--listen ADDR:PORT] [--max-commands N]] [options]';

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
  exporter               serve Prometheus metrics: process starts and ends, connector health
    --listen ADDR:PORT   where to listen (default ${formatListenAddress(DEFAULT_LISTEN)}; [::1]:PORT for IPv6)
    --max-commands N     commands with series of their own, the rest as "other" (1-${MAX_MAX_COMMANDS}, default ${DEFAULT_MAX_COMMANDS})

Options (htop's, with htop's meaning):
  -d, --delay TENTHS     refresh interval for CPU/memory sampling, in tenths of a second
                         (${MIN_DELAY_TENTHS}-${MAX_DELAY_TENTHS}, default ${DEFAULT_DELAY_TENTHS}); events are live regardless
  -C, --no-color         no colours (also when NO_COLOR is set and not empty)
  -U, --no-unicode       ASCII tree guides and bars, for terminals without Unicode (also --ascii)
      --no-netlink       do not open the process connector; poll /proc instead (to compare)

Viewer options (cntop without a command):
  -u, --user[=USER]      show only USER's processes (without a name: yours, from $USER)
  -p, --pid PID[,PID...] show only these processes
  -t, --tree             start in the tree view
  -s, --sort-key COLUMN  sort the list by COLUMN (htop's names), in its natural direction:
                         ${HTOP_SORT_NAMES.slice(0, 6).join(', ')},
                         ${HTOP_SORT_NAMES.slice(6, 11).join(', ')},
                         ${HTOP_SORT_NAMES.slice(11).join(', ')}
                         (or cntop's: cpu, mem, ...)
  -F, --filter TEXT      start with this filter on the command lines
  -M, --no-mouse         no mouse support
  -H, --highlight-changes[=SECS]
                         highlight new processes for SECS seconds (default ${DEFAULT_HIGHLIGHT_SECONDS})
      --readonly         no signals, no renice, no connector repair
  -n, --max-iterations N quit after N refreshes
  -h, --help             show this help and exit
  -V, --version          show the version and exit

Saved settings: $CNTOPRC, else $XDG_CONFIG_HOME/cntop/cntoprc, else ~/.config/cntop/cntoprc
(key=value lines; see docs/CONFIG.md). Options on the command line override the file.

Exit status: 0 success (also on q, Ctrl-C, SIGTERM, SIGHUP and a closed output pipe),
1 runtime error (e.g. \`events\` without a working connector), 2 usage error.
`;
}
