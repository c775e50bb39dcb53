import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/** `npm run test:shared`: the checks that need ../shared (CI runs them after `npm test`). */
export default defineConfig({ test: { ...base.test, include: ['test/shared/**/*.test.ts'], exclude: ['**/node_modules/**'] } });
