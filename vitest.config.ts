import { defineConfig } from 'vitest/config';

// Three projects: unit (pure, milliseconds), integration (real /proc, real addon, real kernel),
// e2e (the built cntop in a real pseudo-terminal). `npm test` runs all three.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // Witness of every LISTEN/IGNORE ack: fails the run if a process of it leaked a LISTEN.
          globalSetup: ['test/setup/listener-audit-global.ts'],
          setupFiles: ['test/setup/listener-audit-file.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Kernel tests count global connector state (acks, the listener gate): never run two files at once.
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/setup/listener-audit-global.ts'],
          setupFiles: ['test/setup/listener-audit-file.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
