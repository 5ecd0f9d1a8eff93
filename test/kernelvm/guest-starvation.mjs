// Runs INSIDE a qemu guest (fresh boot: nobody else listens, the counter starts at 0, so every value
// can be checked exactly). Starves the connector like a buggy client, lets cntop's doctor measure and
// repair it, and prints one line "GUEST-RESULT <json>" for the host-side test to assert on.
//   node test/kernelvm/guest-starvation.mjs K
import { readFileSync } from 'node:fs';
import { counterBelowOne, defaultLowerMode, gateOpen, loadAddon, lowerCounter } from '../helpers/buggy-client.mjs';
import { DEFAULT_EXAMINATION, examineConnector } from '../../dist/native/connector-examination.js';
import { doctorJson } from '../../dist/cli/doctor-command.js';

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

console.log(`GUEST-RESULT ${JSON.stringify(result)}`);
