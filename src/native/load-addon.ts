// Loads the cntop_connector addon once, the way node-gyp-build finds it: a local build
// (build/Release, what `npm install` compiles in a clone) first, else the prebuilt for this platform,
// CPU and libc shipped in the package (prebuilds/linux-x64, prebuilds/linux-arm64; docs/PACKAGING.md).
// Never throws: a missing or broken addon is an expected condition (no prebuilt matched and no
// compiler at install time) and comes back as ConnectorError 'addon-missing'.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { ConnectorError } from '../core/event-source.js';
import { err, ok, type Result } from '../core/types.js';
import type { NativeAddon } from './native-types.js';

// Both src/native/ (tests, tsx) and dist/native/ (built) sit two levels below the package root.
const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const LOCAL_BUILD = path.join(PACKAGE_ROOT, 'build/Release/cntop_connector.node');

const require = createRequire(import.meta.url);

/** node-gyp-build's resolver: the path of the addon that matches this Node, or a throw naming the tuple. */
type ResolveAddon = (root: string) => string;

let cached: Result<NativeAddon, ConnectorError> | undefined;

export function loadAddon(): Result<NativeAddon, ConnectorError> {
  cached ??= loadOnce();
  return cached;
}

/** The addon file that loads (or would), for child processes and messages; the local build when none matches. */
export function addonPath(): string {
  const found = resolveAddonPath();
  return found.ok ? found.value : LOCAL_BUILD;
}

function resolveAddonPath(): Result<string, string> {
  try {
    const resolveAddon = (require('node-gyp-build') as { resolve: ResolveAddon }).resolve;
    return ok(resolveAddon(PACKAGE_ROOT));
  } catch (error) {
    return err(error instanceof Error ? error.message.trim() : String(error));
  }
}

function loadOnce(): Result<NativeAddon, ConnectorError> {
  const found = resolveAddonPath();
  if (!found.ok) {
    // node-gyp-build says which platform, arch, ABI and libc it looked for.
    return err({
      kind: 'addon-missing',
      detail: `${found.error}; neither a local build nor a prebuilt matches (from a clone: npm run build:addon; installed: install g++, make and python3, then npm rebuild -g cntop)`,
    });
  }
  let loaded: unknown;
  try {
    loaded = require(found.value);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return err({ kind: 'addon-missing', detail: `cannot load ${found.value}: ${detail}` });
  }
  if (!looksLikeAddon(loaded)) {
    return err({ kind: 'addon-missing', detail: `${found.value} does not export the expected API (stale build?)` });
  }
  return ok(loaded);
}

function looksLikeAddon(value: unknown): value is NativeAddon {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return [
    'Connector',
    'ControlSocket',
    'decodeDatagram',
    'decodeTaskstats',
    'taskstatsWireCounts',
    'monotonicMs',
    'trimMalloc',
  ].every((name) => typeof record[name] === 'function');
}
