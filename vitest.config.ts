import { defineConfig } from 'vitest/config';

// Three projects: unit (pure logic, parallel, seconds), integration (real /proc, real addon, real
// kernel), e2e (the built cntop in a real pseudo-terminal). `npm test` runs all three, one project
// after the other (sequence.groupOrder): the kernel suites count and drain global connector state
// (the listener counter, acks) and run fork storms, so they must never overlap each other or the
// unit project. Within the unit project files run in parallel; within the kernel projects, one at a time.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], sequence: { groupOrder: 0 } } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          sequence: { groupOrder: 1 },
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
          sequence: { groupOrder: 2 },
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
