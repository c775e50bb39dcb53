/**
 * Checks against the published material in ../shared, run by CI (`npm run test:shared`), not by `npm test`,
 * which must pass on a clone without ../shared.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODEL_IDS } from '../../lib/engine/classifier.js';
import { PROJECT_ROOT } from '../../lib/engine/paths.js';
import { convertKerasH5 } from '../../scripts/convert-model.js';
import { fer } from '../helpers/cli.js';
import { SHARED, tempDir } from '../helpers/fixtures.js';

const SOURCES = {
  mini: 'fer2013_mini_XCEPTION.102-0.66.hdf5',
  big: 'fer2013_big_XCEPTION.54-0.66.hdf5',
} as const;

describe('the committed models', () => {
  it.each(Object.keys(SOURCES) as (keyof typeof SOURCES)[])('are reproduced byte for byte from the published %s HDF5', async (key) => {
    const out = tempDir();

    await convertKerasH5(join(SHARED, 'models', 'mini-xception-oarriaga', SOURCES[key]), out, MODEL_IDS[key]);

    const committed = join(PROJECT_ROOT, 'models', MODEL_IDS[key]);
    expect(readFileSync(join(out, 'weights.bin')).equals(readFileSync(join(committed, 'weights.bin')))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'))).toEqual(JSON.parse(readFileSync(join(committed, 'model.json'), 'utf8')));
  });
});

describe('accuracy on the FER2013 validation set', () => {
  it('is 65.0–65.5 % for the reference profile, as published for these weights', async () => {
    const run = await fer(['eval', join(SHARED, 'data', 'fer2013', 'val'), '--profile', 'reference', '--json']);

    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.n).toBe(3589);
    expect(report.accuracy).toBeGreaterThanOrEqual(0.65);
    expect(report.accuracy).toBeLessThanOrEqual(0.655);
  });
});
