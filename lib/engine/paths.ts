import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project root, found by walking up from this module to the nearest package.json: the same code runs
 * from `lib/` (tests), `dist/lib/` (CLI, Lambda image), so a fixed `../..` would be wrong in one of them.
 */
function findProjectRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'models'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no project root (package.json + models/) above ${start}`);
    dir = parent;
  }
}

export const PROJECT_ROOT = findProjectRoot(dirname(fileURLToPath(import.meta.url)));

/** Where converted models and the cascade live; `FER_MODEL_DIR` overrides it (e.g. a Lambda layer). */
export function modelDir(): string {
  return process.env.FER_MODEL_DIR ?? join(PROJECT_ROOT, 'models');
}
