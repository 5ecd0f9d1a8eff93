// setupFiles entry of the integration and e2e projects: tells the listener audit which test file this
// worker process runs from now on, so a leaked LISTEN can be pinned on its file.
import { beforeAll, expect, inject } from 'vitest';
import { registerFile } from './listener-audit-registry.js';

beforeAll(() => {
  // Provided by listener-audit-global.ts, the globalSetup of every project that runs this file.
  const dir = inject('listenerAuditDir');
  const file = expect.getState().testPath;
  if (file !== undefined) registerFile(dir, process.pid, file, Date.now());
});
