// Types for children.mjs (imported by the TypeScript tests).
export function stopAll(): Promise<void>;
export function stopProcess(pid: number, graceMs?: number): Promise<void>;
export function installCleanupHandlers(): void;
export function liveNames(): string[];
