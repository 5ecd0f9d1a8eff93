// Types for buggy-client.mjs (a plain-JS helper so that it runs unchanged in a qemu guest).
import type { NativeAddon } from '../../src/native/native-types.js';

export type LowerMode = 'ignore' | 'invalid-ignore';
export function loadAddon(): NativeAddon;
export function defaultLowerMode(release?: string): LowerMode;
export function lowerCounter(addon: NativeAddon, k: number, mode?: LowerMode): void;
export function raiseCounter(addon: NativeAddon, k: number): void;
export function gateOpen(addon: NativeAddon, timeoutMs?: number): boolean;
export function counterBelowOne(addon: NativeAddon, maxSteps?: number, timeoutMs?: number): number | null;
export function drainToZero(addon: NativeAddon, maxSteps?: number): number;
