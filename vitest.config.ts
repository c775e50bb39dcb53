import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Native OpenCV and the wasm backend are happiest in child processes, not worker threads.
    pool: 'forks',
    // Model loads and emulators take seconds: these are ceilings against hangs, not speed assertions.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
