import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // test/shared needs ../shared, which a fresh clone lacks: `npm run test:shared` runs it (CI does).
    exclude: ['test/shared/**', '**/node_modules/**'],
    // Native OpenCV and the wasm backend are happiest in child processes, not worker threads.
    pool: 'forks',
    // Model loads and emulators take seconds: these are ceilings against hangs, not speed assertions.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
