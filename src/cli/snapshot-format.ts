// Renders the snapshot forest: pstree-like text with tree guides (Unicode or --ascii), every
// process-supplied string sanitized; or JSON nodes, as `cntop snapshot --json` prints them.
import { formatCommandLine, sanitizeForTerminal } from '../core/text/sanitize.js';
import { stringifySafe } from './json-safe.js';
import type { SnapshotNode } from './snapshot-tree.js';

interface Guides {
  readonly branch: string;
  readonly last: string;
  readonly pipe: string;
  readonly blank: string;
}

const UNICODE_GUIDES: Guides = { branch: '├─ ', last: '└─ ', pipe: '│  ', blank: '   ' };
const ASCII_GUIDES: Guides = { branch: '|- ', last: '`- ', pipe: '|  ', blank: '   ' };

const USER_WIDTH = 10;

export const SNAPSHOT_HEADER = `${'PID'.padStart(7)} ${'USER'.padEnd(USER_WIDTH)} S ${'THR'.padStart(4)} COMMAND`;

/** One line per process: "   1234 root       S    3 ├─ /usr/sbin/sshd -D" */
export function formatSnapshotText(
  roots: readonly SnapshotNode[],
  options: { readonly ascii: boolean; readonly maxWidth?: number },
): string {
  const guides = options.ascii ? ASCII_GUIDES : UNICODE_GUIDES;
  const fit = (line: string): string => (options.maxWidth === undefined ? line : clip(line, options.maxWidth));
  const lines = [fit(SNAPSHOT_HEADER)];
  // Depth-first without recursion (a fork chain can be deeper than the JS stack). `guide` is this
  // node's own branch mark; `indent` is what its descendants inherit from it and its ancestors.
  const stack: { node: SnapshotNode; indent: string; guide: string }[] = [];
  const pushChildren = (children: readonly SnapshotNode[], indent: string): void => {
    for (let i = children.length - 1; i >= 0; i--) {
      const isLast = i === children.length - 1;
      stack.push({ node: children[i] as SnapshotNode, indent, guide: isLast ? guides.last : guides.branch });
    }
  };
  for (let i = roots.length - 1; i >= 0; i--) stack.push({ node: roots[i] as SnapshotNode, indent: '', guide: '' });
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    // On a terminal, one process per screen line (as pstree does); piped output keeps everything.
    lines.push(fit(`${columns(item.node)} ${item.indent}${item.guide}${displayCommand(item.node)}`));
    const inherited = item.guide === '' ? '' : item.guide === guides.last ? guides.blank : guides.pipe;
    pushChildren(item.node.children, item.indent + inherited);
  }
  return `${lines.join('\n')}\n`;
}

function columns(node: SnapshotNode): string {
  const user = truncate(sanitizeForTerminal(node.user), USER_WIDTH).padEnd(USER_WIDTH);
  const state = sanitizeForTerminal(node.state).slice(0, 1).padEnd(1);
  return `${String(node.pid).padStart(7)} ${user} ${state} ${String(node.threads).padStart(4)}`;
}

/** The command line; kernel threads and processes without one show their name in brackets, as ps does. */
function displayCommand(node: SnapshotNode): string {
  if (node.cmdline !== null && node.cmdline.length > 0) return formatCommandLine(node.cmdline);
  return `[${sanitizeForTerminal(node.comm)}]`;
}

function clip(line: string, width: number): string {
  const chars = Array.from(line); // by code point, so a surrogate pair is never split
  return chars.length <= width ? line : `${chars.slice(0, Math.max(0, width - 1)).join('')}+`;
}

function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}+`;
}

/** The forest as one compact JSON document; same escaping rule as the events NDJSON. */
export function formatSnapshotJson(roots: readonly SnapshotNode[]): string {
  return `${stringifySafe(roots)}\n`;
}
