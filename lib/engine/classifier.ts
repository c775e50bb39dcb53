/**
 * The Mini-XCEPTION adapter. It owns the model's facts: label order, input size (read from the model),
 * preprocessing and the source of the weights.
 *
 * Weights: Octavio Arriaga's `fer2013_mini_XCEPTION.102-0.66.hdf5` and `fer2013_big_XCEPTION.54-0.66.hdf5`
 * (https://github.com/oarriaga/face_classification, MIT), converted by `scripts/convert-model.ts`; see
 * models/README.md.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend, tf } from './backend.js';
import { EMOTIONS } from './labels.js';
import { modelDir } from './paths.js';
import type { ProfileName } from './schema.js';

export const MODEL_IDS = {
  mini: 'mini-xception-102-0.66',
  big: 'big-xception-54-0.66',
} as const;

export type ModelKey = keyof typeof MODEL_IDS;

export interface Profile {
  name: ProfileName;
  models: readonly ModelKey[];
  /** Also classify the horizontally mirrored face and average the two. */
  mirror: boolean;
  description: string;
}

export const PROFILES: Record<ProfileName, Profile> = {
  reference: { name: 'reference', models: ['mini'], mirror: false, description: 'Mini-XCEPTION alone (the published weights, parity)' },
  fast: { name: 'fast', models: ['mini'], mirror: true, description: 'Mini-XCEPTION averaged with the mirrored face' },
  accurate: { name: 'accurate', models: ['mini', 'big'], mirror: true, description: 'Mini- and big XCEPTION, each with the mirrored face, averaged' },
};

export const DEFAULT_PROFILE: ProfileName = 'fast';

export function isProfileName(value: string): value is ProfileName {
  return Object.hasOwn(PROFILES, value);
}

/** The id written in results: the models of the profile, joined. */
export function profileModelId(profile: ProfileName): string {
  return PROFILES[profile].models.map((key) => MODEL_IDS[key]).join('+');
}

/** `(x/255 − 0.5)·2`: the scaling the weights were trained with (x/255 alone costs ~11 points). */
function preprocess(pixels: tf.Tensor4D): tf.Tensor4D {
  return pixels.div(255).sub(0.5).mul(2);
}

export class ExpressionModel {
  private constructor(
    readonly key: ModelKey,
    private readonly model: tf.LayersModel,
    readonly inputSize: number,
  ) {}

  get id(): string {
    return MODEL_IDS[this.key];
  }

  static async load(key: ModelKey): Promise<ExpressionModel> {
    await initBackend();
    const dir = join(modelDir(), MODEL_IDS[key]);
    const modelJson = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    const weights = readFileSync(join(dir, 'weights.bin'));
    const model = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: modelJson.modelTopology,
        weightSpecs: modelJson.weightsManifest[0].weights,
        weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
      }),
    );
    const [, height, width, channels] = model.inputs[0].shape;
    if (height !== width || channels !== 1 || typeof height !== 'number') {
      throw new Error(`${MODEL_IDS[key]}: expected a square grayscale input, got ${JSON.stringify(model.inputs[0].shape)}`);
    }
    const outputs = model.outputs[0].shape.at(-1);
    if (outputs !== EMOTIONS.length) throw new Error(`${MODEL_IDS[key]}: ${outputs} outputs, expected ${EMOTIONS.length}`);
    return new ExpressionModel(key, model, height);
  }

  /** Probabilities [n, 7] for a batch of grayscale faces [n, size, size, 1] holding 0..255. */
  predictBatch(pixels: tf.Tensor4D, mirror: boolean): tf.Tensor2D {
    return tf.tidy(() => {
      const input = preprocess(pixels);
      const probabilities = this.model.predict(input) as tf.Tensor2D;
      if (!mirror) return probabilities;
      const mirrored = this.model.predict(tf.reverse(input, 2)) as tf.Tensor2D;
      return probabilities.add(mirrored).div(2);
    });
  }
}

const loaded = new Map<ModelKey, Promise<ExpressionModel>>();

/** Loads a model once per process (a warm Lambda reuses it). */
export function loadModel(key: ModelKey): Promise<ExpressionModel> {
  let model = loaded.get(key);
  if (!model) {
    model = ExpressionModel.load(key);
    model.catch(() => loaded.delete(key));
    loaded.set(key, model);
  }
  return model;
}

export class ExpressionClassifier {
  private constructor(
    readonly profile: Profile,
    private readonly models: ExpressionModel[],
  ) {}

  static async forProfile(name: ProfileName): Promise<ExpressionClassifier> {
    const profile = PROFILES[name];
    const models = await Promise.all(profile.models.map(loadModel));
    const sizes = new Set(models.map((m) => m.inputSize));
    if (sizes.size !== 1) throw new Error(`profile ${name}: models disagree on input size`);
    return new ExpressionClassifier(profile, models);
  }

  get inputSize(): number {
    return this.models[0].inputSize;
  }

  get modelId(): string {
    return profileModelId(this.profile.name);
  }

  /**
   * Classifies faces in one batch. Each face is `inputSize²` grayscale bytes, row-major.
   * Returns one probability vector (label order of EMOTIONS) per face.
   */
  async classify(faces: readonly Uint8Array[]): Promise<Float32Array[]> {
    if (faces.length === 0) return [];
    const size = this.inputSize;
    const batch = new Float32Array(faces.length * size * size);
    faces.forEach((face, i) => {
      if (face.length !== size * size) throw new RangeError(`face ${i}: ${face.length} bytes, expected ${size * size}`);
      batch.set(face, i * size * size);
    });
    const averaged = tf.tidy(() => {
      const pixels = tf.tensor4d(batch, [faces.length, size, size, 1]);
      const predictions = this.models.map((model) => model.predictBatch(pixels, this.profile.mirror));
      return tf.addN(predictions).div(predictions.length) as tf.Tensor2D;
    });
    const flat = (await averaged.data()) as Float32Array;
    averaged.dispose();
    return faces.map((_, i) => flat.slice(i * EMOTIONS.length, (i + 1) * EMOTIONS.length));
  }
}
