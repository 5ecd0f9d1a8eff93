// Loads build/Release/cntop_connector.node once. Never throws: a missing or broken build is an
// expected condition (no compiler at install time) and comes back as ConnectorError 'addon-missing'.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { ConnectorError } from '../core/event-source.js';
import { err, ok, type Result } from '../core/types.js';
import type { NativeAddon } from './native-types.js';

// Both src/native/ (tests, tsx) and dist/native/ (built) sit two levels below the package root.
const ADDON_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../build/Release/cntop_connector.node');

let cached: Result<NativeAddon, ConnectorError> | undefined;

export function loadAddon(): Result<NativeAddon, ConnectorError> {
  cached ??= loadOnce();
  return cached;
}

/** Where the addon is expected, for messages that tell the user what to build. */
export const addonPath = (): string => ADDON_PATH;

function loadOnce(): Result<NativeAddon, ConnectorError> {
  let loaded: unknown;
  try {
    loaded = createRequire(import.meta.url)(ADDON_PATH);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return err({ kind: 'addon-missing', detail: `cannot load ${ADDON_PATH}: ${detail} (run: npm run build:addon)` });
  }
  if (!looksLikeAddon(loaded)) {
    return err({ kind: 'addon-missing', detail: `${ADDON_PATH} does not export the expected API (stale build?)` });
  }
  return ok(loaded);
}

function looksLikeAddon(value: unknown): value is NativeAddon {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return ['Connector', 'ControlSocket', 'decodeDatagram', 'decodeTaskstats', 'taskstatsWireCounts', 'monotonicMs'].every((name) => typeof record[name] === 'function');
}
