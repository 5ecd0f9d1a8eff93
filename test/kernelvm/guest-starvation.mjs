// Runs INSIDE a qemu guest (fresh boot: nobody else listens, the counter starts at 0, so every value
// can be checked exactly). Starves the connector like a buggy client, lets cntop's doctor measure and
// repair it, and prints one line "GUEST-RESULT <json>" for the host-side test to assert on.
//   node test/kernelvm/guest-starvation.mjs K
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { counterBelowOne, defaultLowerMode, gateOpen, loadAddon, lowerCounter } from '../helpers/buggy-client.mjs';
import { DEFAULT_EXAMINATION, examineConnector } from '../../dist/native/connector-examination.js';
import { doctorJson } from '../../dist/cli/doctor-command.js';
import { startEngine } from '../../dist/core/engine.js';
import { createHealthMonitor, DEFAULT_HEALTH_RUNTIME } from '../../dist/native/health-runtime.js';
import { openKernelEventSource } from '../../dist/native/kernel-event-source.js';

const k = Number(process.argv[2] ?? 3);
const addon = loadAddon();
const canaryTimeoutMs = Number(process.env.CNTOP_CANARY_TIMEOUT_MS ?? 20000);
const result = { release: readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim(), k, lowerMode: defaultLowerMode() };
const timed = async (name, work) => {
  const started = addon.monotonicMs();
  const value = await work();
  result[`${name}Ms`] = Math.round((addon.monotonicMs() - started) * 10) / 10;
  return value;
};

result.counterAtBoot = counterBelowOne(addon);
result.gateAtBoot = gateOpen(addon);
lowerCounter(addon, k);
result.counterAfterBuggyClient = counterBelowOne(addon);

// The command line as a user runs it: exit 2 (blind) and the JSON, then the counter exactly back.
const cli = spawnSync(process.execPath, ['dist/main.js', 'doctor', '--json'], {
  encoding: 'utf8',
  env: { ...process.env, CNTOP_CANARY_TIMEOUT_MS: String(canaryTimeoutMs) },
});
let cliJson;
try {
  cliJson = JSON.parse(cli.stdout);
} catch {
  cliJson = { unparsable: cli.stdout.slice(0, 500), stderr: cli.stderr.slice(-500) };
}
result.cli = {
  exitCode: cli.status,
  status: cliJson.status,
  deficit: cliJson.deficit,
  semantics: cliJson.kernel?.semantics,
  counterOps: cliJson.counterOps,
};
result.counterAfterCli = counterBelowOne(addon);

const examine = (repair) => examineConnector({ ...DEFAULT_EXAMINATION, repair, canaryTimeoutMs });
const measured = await timed('doctor', () => examine(false));
result.doctor = { ...doctorJson(measured, false), timings: measured.checkup?.timings ?? null };
result.counterAfterDoctor = counterBelowOne(addon);

const repaired = await timed('repair', () => examine(true));
result.repair = { ...doctorJson(repaired, true), timings: repaired.checkup?.timings ?? null };
// After the doctor exits (its connector sent its IGNORE): 0 exactly means "left >= 0 and nothing more".
result.counterAfterRepair = counterBelowOne(addon);

// Events flow for every listener once the counter is >= 1: a new listener's LISTEN is acked now.
result.gateAfterRepairPlusOneListener = (() => {
  const socket = new addon.ControlSocket();
  socket.open();
  const cookie = ((process.pid << 8) | 0x5c) >>> 0;
  socket.sendOp(1, cookie);
  const acked = socket.waitAck(cookie, 200) !== null;
  socket.sendOp(2, cookie + 2);
  socket.close();
  return acked;
})();

// The live UI's story: a running cntop (engine + monitor) on a starved kernel says blind with the
// deficit, R repairs it, the verdict turns healthy; after it closes the counter is back at 0.
const waitFor = async (read, ok, timeoutMs) => {
  const deadline = Date.now() + timeoutMs;
  let value = read();
  while (!ok(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    value = read();
  }
  return value;
};
lowerCounter(addon, k);
await timed('monitorBlind', async () => {
  const startedMs = addon.monotonicMs();
  const engine = await startEngine({ source: openKernelEventSource(), refreshMs: 1000 });
  const monitor = createHealthMonitor(engine, { ...DEFAULT_HEALTH_RUNTIME, canaryTimeoutMs: canaryTimeoutMs });
  try {
    const before = await waitFor(
      () => monitor.report(),
      (r) => r.deficit !== null,
      20000,
    );
    result.monitorBefore = { status: before.status, deficit: before.deficit, semantics: before.kernel.semantics };
    result.monitorBlindVerdictMs = Math.round(addon.monotonicMs() - startedMs);
    result.monitorRepairMessage = await monitor.repair();
    const after = await waitFor(
      () => monitor.report(),
      (r) => r.status === 'healthy',
      20000,
    );
    result.monitorAfter = { status: after.status, canaryOk: after.canary.ok };
  } finally {
    monitor.close();
    engine.close();
  }
});
result.counterAfterMonitor = counterBelowOne(addon);

console.log(`GUEST-RESULT ${JSON.stringify(result)}`);
