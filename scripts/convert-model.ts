/**
 * Converts a Keras 2.0.5 HDF5 model (oarriaga's Mini-/big-XCEPTION, FER2013) into a TF.js layers model:
 * `<out>/model.json` + `<out>/weights.bin`.
 *
 *   npm run convert-model -- <model.hdf5> <out-dir> [--id <model-id>]
 *
 * The topology is the model's own Keras config (TF.js layers reads Keras configs); weights are mapped by layer,
 * in the order each layer declares them — never by the stored dataset name, since Keras 2.0.5 stores some
 * under names like `batch_normalization_1_1/gamma` for the layer `batch_normalization_1`.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import h5wasm from 'h5wasm/node';
import * as tf from '@tensorflow/tfjs';

interface KerasH5 {
  modelConfig: Record<string, unknown>;
  kerasVersion: string;
  /** layer name → its weights, in the layer's declared order */
  layerWeights: Map<string, { name: string; shape: number[]; values: Float32Array }[]>;
}

function decodeAttr(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  throw new TypeError(`unexpected HDF5 attribute value ${String(value)}`);
}

function stringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(decodeAttr);
  // h5py writes an empty list as a zero-length numeric array
  if (value === undefined || value === null || (ArrayBuffer.isView(value) && (value as Float64Array).length === 0)) return [];
  return [decodeAttr(value)];
}

const HDF5_SIGNATURE = Buffer.from('\x89HDF\r\n\x1a\n', 'latin1');

async function readKerasH5(path: string): Promise<KerasH5> {
  // Checked here for a clear message: HDF5's own error for a non-HDF5 file is a page of diagnostics.
  if (!readFileSync(path).subarray(0, 8).equals(HDF5_SIGNATURE)) throw new Error(`${path} is not an HDF5 file`);
  await h5wasm.ready;
  const file = new h5wasm.File(path, 'r');
  try {
    const modelConfig = JSON.parse(decodeAttr(file.attrs['model_config']?.value));
    const kerasVersion = decodeAttr(file.attrs['keras_version']?.value ?? '');
    const weightsRoot = file.get('model_weights') as InstanceType<typeof h5wasm.Group>;
    const layerWeights = new Map<string, { name: string; shape: number[]; values: Float32Array }[]>();
    for (const layerName of stringList(weightsRoot.attrs['layer_names']?.value)) {
      const group = weightsRoot.get(layerName) as InstanceType<typeof h5wasm.Group>;
      const weights = stringList(group.attrs['weight_names']?.value).map((weightName) => {
        const dataset = group.get(weightName) as InstanceType<typeof h5wasm.Dataset>;
        const values = Float32Array.from(dataset.value as Float32Array);
        return { name: weightName, shape: dataset.shape as number[], values };
      });
      if (weights.length > 0) layerWeights.set(layerName, weights);
    }
    return { modelConfig, kerasVersion, layerWeights };
  } finally {
    file.close();
  }
}

export async function convertKerasH5(input: string, outDir: string, id: string): Promise<tf.LayersModel> {
  const { modelConfig, kerasVersion, layerWeights } = await readKerasH5(input);
  const model = await tf.models.modelFromJSON({
    modelTopology: { ...modelConfig, keras_version: kerasVersion, backend: 'tensorflow' },
  } as unknown as tf.io.ModelJSON);

  for (const layer of model.layers) {
    const stored = layerWeights.get(layer.name) ?? [];
    const expected = layer.weights;
    if (stored.length !== expected.length) {
      throw new Error(`layer ${layer.name}: file has ${stored.length} weights, model expects ${expected.length}`);
    }
    layer.setWeights(
      stored.map((weight, i) => {
        const want = expected[i].shape;
        if (want.join('x') !== weight.shape.join('x')) {
          throw new Error(`layer ${layer.name} weight ${i}: shape ${weight.shape} in file, ${want} in model`);
        }
        return tf.tensor(weight.values, weight.shape);
      }),
    );
    layerWeights.delete(layer.name);
  }
  if (layerWeights.size > 0) {
    throw new Error(`weights for unknown layers: ${[...layerWeights.keys()].join(', ')}`);
  }

  const sha256 = createHash('sha256').update(readFileSync(input)).digest('hex');
  mkdirSync(outDir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = artifacts.weightData as ArrayBuffer;
      writeFileSync(join(outDir, 'weights.bin'), Buffer.from(weightData));
      const modelJson = {
        format: 'layers-model',
        generatedBy: `keras ${kerasVersion}`,
        convertedBy: 'serverless-fer scripts/convert-model.ts',
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
        userDefinedMetadata: { id, source: basename(input), sourceSha256: sha256 },
      };
      writeFileSync(join(outDir, 'model.json'), `${JSON.stringify(modelJson)}\n`);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return model;
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { id: { type: 'string' } } });
  if (positionals.length !== 2) {
    console.error('usage: npm run convert-model -- <model.hdf5> <out-dir> [--id <model-id>]');
    process.exit(2);
  }
  const [input, outDir] = positionals;
  const id = values.id ?? basename(input).replace(/\.hdf5$/, '');
  const model = await convertKerasH5(input, outDir, id);
  console.log(`${id}: ${model.countParams()} parameters, input ${JSON.stringify(model.inputs[0].shape)} -> ${outDir}`);
}

if (process.argv[1] && import.meta.url.endsWith(basename(process.argv[1]))) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
