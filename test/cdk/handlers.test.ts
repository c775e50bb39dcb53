import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HANDLERS } from '../../lib/cloud/handlers.js';
import { PROJECT_ROOT } from '../../lib/engine/paths.js';

const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8'));

/** `dist/functions/x.handler` → the module file the runtime interface client loads, and the export it calls. */
function entryOf(command: string): { file: string; exportName: string } {
  const dot = command.lastIndexOf('.');
  return { file: join(PROJECT_ROOT, `${command.slice(0, dot)}.js`), exportName: command.slice(dot + 1) };
}

/** Every package a compiled module reaches through its relative imports (what the image must carry). */
function packagesReachedFrom(file: string, seen = new Set<string>(), packages = new Set<string>()): Set<string> {
  if (seen.has(file)) return packages;
  seen.add(file);
  const source = readFileSync(file, 'utf8');
  for (const match of source.matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(['"]([^'"]+)['"]\)/g)) {
    const specifier = match[1] ?? match[2] ?? match[3];
    if (specifier.startsWith('.')) packagesReachedFrom(resolve(dirname(file), specifier), seen, packages);
    else if (!specifier.startsWith('node:') && !builtinModules.includes(specifier)) {
      packages.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]);
    }
  }
  return packages;
}

describe('the handlers the stack names', () => {
  it.each(Object.entries(HANDLERS))('%s (%s) is an exported function of the built image entry point', async (_name, command) => {
    const { file, exportName } = entryOf(command);

    expect(existsSync(file), `${file} (run npm run build)`).toBe(true);
    const module = await import(file);
    expect(typeof module[exportName]).toBe('function');
  });

  it.each(Object.entries(HANDLERS))('%s needs only production dependencies (the image omits dev ones)', (_name, command) => {
    const reached = packagesReachedFrom(entryOf(command).file);

    const production = new Set(Object.keys(pkg.dependencies));
    expect([...reached].filter((name) => !production.has(name))).toEqual([]);
  });
});
