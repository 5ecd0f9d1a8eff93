// Reads a V8 .cpuprofile and says where the time went: self time by function and by module (a
// node_modules package, a dist/ folder, Node's internals, GC, idle), and total (inclusive) time by
// function. Pure over the file's contents.
import { readFileSync } from 'node:fs';

const moduleOf = (url, functionName) => {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native/builtin)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const dist = /\/dist\/(.*)\/[^/]+$/.exec(url) ?? /\/dist\/([^/]+)$/.exec(url);
  if (dist) return `cntop dist/${dist[1]}`;
  if (url.startsWith('node:')) return 'node internals';
  return url;
};

export function summarizeProfile(path, { top = 20 } = {}) {
  const profile = JSON.parse(readFileSync(path, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (n) => {
    const f = n.callFrame;
    const file = f.url.replace(/^.*\/(node_modules|dist)\//, '$1/');
    return `${f.functionName || '(anonymous)'} ${file}${f.url ? `:${f.lineNumber + 1}` : ''}`;
  };
  const self = new Map();
  const total = new Map();
  const modules = new Map();
  let sum = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    const n = byId.get(id);
    sum += dt;
    self.set(key(n), (self.get(key(n)) ?? 0) + dt);
    const mod = moduleOf(n.callFrame.url, n.callFrame.functionName);
    modules.set(mod, (modules.get(mod) ?? 0) + dt);
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const k = key(byId.get(cur));
      if (!seen.has(k)) (total.set(k, (total.get(k) ?? 0) + dt), seen.add(k));
    }
  });
  const idle = modules.get('(idle)') ?? 0;
  const busy = sum - idle;
  const fmt = (m, label, n, base) =>
    `${label}\n${[...m]
      .filter(([k]) => !k.startsWith('(idle)') && !k.startsWith('(root)'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `  ${v.toFixed(1).padStart(8)} ms ${((100 * v) / base).toFixed(1).padStart(5)}%  ${k}`)
      .join('\n')}`;
  return [
    `profile ${(sum / 1000).toFixed(2)} s of wall time, ${busy.toFixed(0)} ms on the CPU (not idle); % of the busy time`,
    fmt(modules, 'self time by module:', 15, busy),
    fmt(self, 'self time by function:', top, busy),
    fmt(total, 'total time by function (with callees):', top, busy),
  ].join('\n\n');
}

if (import.meta.url === `file://${process.argv[1]}`)
  process.stdout.write(`${summarizeProfile(process.argv[2], { top: Number(process.argv[3] ?? 25) })}\n`);
