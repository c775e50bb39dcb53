import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODEL_IDS } from '../../lib/engine/classifier.js';
import { PROJECT_ROOT } from '../../lib/engine/paths.js';
import { convertKerasH5 } from '../../scripts/convert-model.js';
import { SHARED, tempDir } from '../helpers/fixtures.js';

const SOURCES = {
  mini: 'fer2013_mini_XCEPTION.102-0.66.hdf5',
  big: 'fer2013_big_XCEPTION.54-0.66.hdf5',
} as const;

describe('convert-model', () => {
  it.each(Object.keys(SOURCES) as (keyof typeof SOURCES)[])('reproduces the committed %s model byte for byte from the HDF5', async (key) => {
    const out = tempDir();
    const source = join(SHARED, 'models', 'mini-xception-oarriaga', SOURCES[key]);

    await convertKerasH5(source, out, MODEL_IDS[key]);

    const committed = join(PROJECT_ROOT, 'models', MODEL_IDS[key]);
    expect(readFileSync(join(out, 'weights.bin')).equals(readFileSync(join(committed, 'weights.bin')))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'))).toEqual(JSON.parse(readFileSync(join(committed, 'model.json'), 'utf8')));
  });

  it('refuses a file that is not a Keras HDF5 model', async () => {
    const out = tempDir();
    await expect(convertKerasH5(join(PROJECT_ROOT, 'samples', 'obama.jpg'), out, 'x')).rejects.toThrow('is not an HDF5 file');
  });
});
