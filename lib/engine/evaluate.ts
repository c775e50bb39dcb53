/**
 * Accuracy on a folder laid out like FER2013 (`<dir>/<emotion>/*.jpg`): the images are face crops already,
 * so there is no detection — each is read as grayscale, resized bilinearly to the model's input and classified.
 */
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { cv } from './opencv.js';
import { getClassifier } from './engine.js';
import { InvalidMediaError, InvalidParameterError, NotFoundError } from './errors.js';
import { EMOTIONS, dominantOf, isEmotion, toEmotionScores, type Emotion } from './labels.js';
import type { ProfileName } from './schema.js';

export interface EvalReport {
  n: number;
  accuracy: number;
  labels: readonly Emotion[];
  perClass: Record<Emotion, { n: number; precision: number; recall: number }>;
  /** confusion[actual][predicted], rows and columns in `labels` order */
  confusion: number[][];
  profile: ProfileName;
  modelId: string;
}

const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.bmp', '.webp']);
const BATCH = 256;

async function listSamples(dir: string): Promise<{ path: string; label: Emotion }[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw new NotFoundError(`cannot read ${dir}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, { cause: error });
  }
  const samples: { path: string; label: Emotion }[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || !isEmotion(entry.name)) continue;
    const files = await readdir(join(dir, entry.name));
    for (const file of files.sort()) {
      if (IMAGE_EXTENSIONS.has(extname(file).toLowerCase())) samples.push({ path: join(dir, entry.name, file), label: entry.name });
    }
  }
  if (samples.length === 0) {
    throw new InvalidParameterError(`${dir} has no images in sub-folders named after the labels (${EMOTIONS.join(', ')})`);
  }
  return samples;
}

async function loadCrop(path: string, size: number): Promise<Uint8Array> {
  const gray = await cv.imdecodeAsync(await readFile(path), cv.IMREAD_GRAYSCALE).catch(() => undefined);
  if (!gray || gray.empty) throw new InvalidMediaError('InvalidImageFormat', `${path}: not a decodable image`);
  const resized = gray.cols === size && gray.rows === size ? gray : await gray.resizeAsync(size, size, 0, 0, cv.INTER_LINEAR);
  return new Uint8Array(resized.getData());
}

export async function evaluate(dir: string, profile: ProfileName, onProgress?: (done: number, total: number) => void): Promise<EvalReport> {
  const classifier = await getClassifier(profile);
  const samples = await listSamples(dir);
  const index = new Map(EMOTIONS.map((label, i) => [label, i]));
  const confusion = EMOTIONS.map(() => EMOTIONS.map(() => 0));
  for (let start = 0; start < samples.length; start += BATCH) {
    const chunk = samples.slice(start, start + BATCH);
    const crops = await Promise.all(chunk.map((sample) => loadCrop(sample.path, classifier.inputSize)));
    const predictions = await classifier.classify(crops);
    chunk.forEach((sample, i) => {
      const predicted = dominantOf(toEmotionScores(predictions[i])).emotion;
      confusion[index.get(sample.label)!][index.get(predicted)!] += 1;
    });
    onProgress?.(Math.min(samples.length, start + BATCH), samples.length);
  }
  const correct = EMOTIONS.reduce((sum, _, i) => sum + confusion[i][i], 0);
  const perClass = {} as EvalReport['perClass'];
  EMOTIONS.forEach((label, i) => {
    const actual = confusion[i].reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((sum, row) => sum + row[i], 0);
    perClass[label] = { n: actual, precision: predicted ? confusion[i][i] / predicted : 0, recall: actual ? confusion[i][i] / actual : 0 };
  });
  return { n: samples.length, accuracy: correct / samples.length, labels: EMOTIONS, perClass, confusion, profile, modelId: classifier.modelId };
}
