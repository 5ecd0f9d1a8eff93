// Types for build.mjs (imported by the TypeScript tests).
export const ROOT: string;
export const OUT: string;
export const ADDON: string;
export const CLI: string;
export interface BuildStep {
  readonly ok: boolean;
  readonly label: string;
  readonly detail?: string;
}
export function buildCPrograms(): BuildStep[];
export function buildTypeScript(): BuildStep;
export function ensureAddon(): BuildStep;
export function bin(name: string): string;
