import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/engine/paths.js';
import { convertKerasH5 } from '../../scripts/convert-model.js';
import { tempDir } from '../helpers/fixtures.js';
import { TINY_WEIGHTS, writeTinyKerasH5 } from '../helpers/keras-h5.js';

// The byte-for-byte reproduction of the committed models from the published HDF5 files is in
// test/shared/ (it needs ../shared); these tests need nothing outside the repository.
describe('convert-model on a Keras 2.0.5 HDF5 file', () => {
  async function convertTiny(options: Parameters<typeof writeTinyKerasH5>[1] = {}) {
    const dir = tempDir();
    const source = join(dir, 'tiny.hdf5');
    await writeTinyKerasH5(source, options);
    const model = await convertKerasH5(source, join(dir, 'out'), 'tiny');
    return { model, out: join(dir, 'out') };
  }

  it('maps weights by layer, even when Keras stored them under another name', async () => {
    const { model } = await convertTiny();

    for (const [layer, weights] of Object.entries(TINY_WEIGHTS)) {
      const converted = model.getLayer(layer).getWeights();
      expect(converted.map((t) => t.shape)).toEqual(weights.map((w) => [...w.shape]));
      converted.forEach((tensor, i) => expect(Array.from(tensor.dataSync())).toEqual(Array.from(weights[i].values)));
    }
  });

  it('writes a TF.js layers model that loads back and predicts like the converted one', async () => {
    const { model, out } = await convertTiny();
    const modelJson = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    const weights = readFileSync(join(out, 'weights.bin'));

    const loaded = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: modelJson.weightsManifest[0].weights, weightData: new Uint8Array(weights).buffer }),
    );

    expect(modelJson).toMatchObject({ format: 'layers-model', generatedBy: 'keras 2.0.5', userDefinedMetadata: { id: 'tiny', source: 'tiny.hdf5' } });
    const input = tf.randomUniform([3, 6, 6, 1], 0, 1, 'float32', 7);
    const expected = (model.predict(input) as tf.Tensor).arraySync();
    expect((loaded.predict(input) as tf.Tensor).arraySync()).toEqual(expected);
    expect((expected as number[][]).map((row) => row.reduce((a, b) => a + b, 0))).toEqual([1, 1, 1].map((v) => expect.closeTo(v, 5)));
  });

  it('refuses a file whose layer lacks a weight the model declares', async () => {
    await expect(convertTiny({ dropWeightOf: 'batch_normalization_1' })).rejects.toThrow(/batch_normalization_1: file has 3 weights, model expects 4/);
  });

  it('refuses a file that is not HDF5', async () => {
    await expect(convertKerasH5(join(PROJECT_ROOT, 'samples', 'obama.jpg'), tempDir(), 'x')).rejects.toThrow('is not an HDF5 file');
  });
});
