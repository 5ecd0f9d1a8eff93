#!/usr/bin/env node
// Drives the kernel's listener counter the way a buggy client does, and puts it back: the test side of
// connector health. Plain JS on the built addon so that it runs unchanged in a qemu guest.
//   node test/helpers/buggy-client.mjs lower K [--mode auto|ignore|invalid-ignore]
//   node test/helpers/buggy-client.mjs raise K      (LISTEN on K fresh sockets, closed without IGNORE)
//   node test/helpers/buggy-client.mjs gate         (prints open/closed; side-effect free)
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const LISTEN = 1;
const IGNORE = 2;
const INVALID = 99;
const EINVAL = 22;
const ADDON = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../build/Release/cntop_connector.node');

export function loadAddon() {
  return createRequire(import.meta.url)(ADDON);
}

const cookie = (tag) => ((process.pid << 8) | tag) >>> 0;

function withFreshSocket(addon, use) {
  const socket = new addon.ControlSocket();
  const opened = socket.open({ acksOnly: true });
  if (!opened.ok) throw new Error(`ControlSocket.open: ${opened.syscall}: ${opened.code}`);
  try {
    return use(socket);
  } finally {
    socket.close(); // sends nothing
  }
}

function send(socket, op, ack) {
  const sent = socket.sendOp(op, ack);
  if (!sent.ok) throw new Error(`sendOp(${op}): ${sent.syscall}: ${sent.code}`);
}

/** How a buggy client lowers the counter on this kernel: before 6.6 a bare IGNORE does it. */
export function defaultLowerMode(release = readFileSync('/proc/sys/kernel/osrelease', 'utf8')) {
  const [major, minor] = release.split('.').map(Number);
  return major > 6 || (major === 6 && minor >= 6) ? 'invalid-ignore' : 'ignore';
}

/** Lowers the counter by exactly k: one fresh socket per step ('invalid-ignore' works on both generations). */
export function lowerCounter(addon, k, mode = defaultLowerMode()) {
  for (let i = 0; i < k; i += 1) {
    withFreshSocket(addon, (socket) => {
      if (mode === 'invalid-ignore') send(socket, INVALID, cookie(0x50));
      send(socket, IGNORE, cookie(0x52));
    });
  }
}

/** Raises the counter by exactly k: LISTEN on k fresh sockets that are closed without IGNORE (a leak). */
export function raiseCounter(addon, k) {
  for (let i = 0; i < k; i += 1) withFreshSocket(addon, (socket) => send(socket, LISTEN, cookie(0x54)));
}

/** True when the counter is >= 1 (an invalid op is answered with EINVAL; no change to the counter). */
export function gateOpen(addon, timeoutMs = 50) {
  return withFreshSocket(addon, (socket) => {
    send(socket, INVALID, cookie(0x56));
    const ack = socket.waitAck(cookie(0x56), timeoutMs);
    return ack !== null && ack.err === EINVAL;
  });
}

/**
 * The exact counter value when it is below 1: LISTEN from fresh sockets until one is acked (n of them:
 * the counter was 1 - n), then IGNORE from each of them. Leaves the counter where it was.
 */
export function counterBelowOne(addon, maxSteps = 256, timeoutMs = 20) {
  const held = [];
  try {
    for (let n = 1; n <= maxSteps; n += 1) {
      const socket = new addon.ControlSocket();
      const opened = socket.open({ acksOnly: true });
      if (!opened.ok) throw new Error(`ControlSocket.open: ${opened.syscall}: ${opened.code}`);
      held.push(socket);
      send(socket, LISTEN, cookie(0x58));
      if (socket.waitAck(cookie(0x58), timeoutMs) !== null) return 1 - n;
    }
    return null;
  } finally {
    for (const socket of held.reverse()) {
      send(socket, IGNORE, cookie(0x5a));
      socket.close();
    }
  }
}

/**
 * How far above 0 the counter stands: lowers it one step at a time until the gate closes, so the counter
 * is then exactly 0. The caller must raise it back by the returned amount (raiseCounter).
 */
export function drainToZero(addon, maxSteps = 1000) {
  let steps = 0;
  while (gateOpen(addon)) {
    if (steps >= maxSteps) throw new Error(`counter above ${maxSteps}: not draining further`);
    lowerCounter(addon, 1, 'invalid-ignore');
    steps += 1;
  }
  return steps;
}

function main(argv) {
  const [command, count, ...rest] = argv;
  const addon = loadAddon();
  const k = Number(count ?? 0);
  const modeIndex = rest.indexOf('--mode');
  const mode = modeIndex >= 0 && rest[modeIndex + 1] !== 'auto' ? rest[modeIndex + 1] : defaultLowerMode();
  if (command === 'lower') lowerCounter(addon, k, mode);
  else if (command === 'raise') raiseCounter(addon, k);
  else if (command === 'gate') console.log(gateOpen(addon) ? 'open' : 'closed');
  else {
    console.error('usage: buggy-client.mjs lower K [--mode auto|ignore|invalid-ignore] | raise K | gate');
    return 2;
  }
  return 0;
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
