/** `fer info`: what this installation runs on. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cv } from '../engine/opencv.js';
import { initBackend, tf } from '../engine/backend.js';
import { DEFAULT_PROFILE, MODEL_IDS, PROFILES, profileModelId } from '../engine/classifier.js';
import { CASCADE_FILE } from '../engine/detector.js';
import { modelDir, PROJECT_ROOT } from '../engine/paths.js';

export async function infoCommand(): Promise<number> {
  const backend = await initBackend();
  const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8'));
  const info = {
    version: pkg.version as string,
    node: process.version,
    opencv: cv.getVersionString?.() ?? `${cv.version.major}.${cv.version.minor}.${cv.version.revision}`,
    tfjs: tf.version.tfjs,
    backend,
    modelDir: modelDir(),
    models: Object.values(MODEL_IDS),
    cascade: CASCADE_FILE,
    defaultProfile: DEFAULT_PROFILE,
    profiles: Object.fromEntries(Object.values(PROFILES).map((p) => [p.name, { modelId: profileModelId(p.name), description: p.description }])),
  };
  process.stdout.write(
    [
      `fer ${info.version} (node ${info.node})`,
      `backend: ${info.backend} (tfjs ${info.tfjs})`,
      `opencv: ${info.opencv}`,
      `models: ${info.models.join(', ')} in ${info.modelDir}`,
      `cascade: ${info.cascade}`,
      `profiles (default ${info.defaultProfile}):`,
      ...Object.entries(info.profiles).map(([name, p]) => `  ${name.padEnd(10)} ${p.modelId}: ${p.description}`),
      '',
    ].join('\n'),
  );
  return 0;
}
