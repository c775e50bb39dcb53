import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cv } from '../../lib/engine/opencv.js';
import { describe, expect, it } from 'vitest';
import { ExpressionClassifier } from '../../lib/engine/classifier.js';
import { EMOTIONS } from '../../lib/engine/labels.js';
import { PROJECT_ROOT } from '../../lib/engine/paths.js';

const FIXTURE = join(PROJECT_ROOT, 'test', 'fixtures', 'mini-xception-102');
const expected = JSON.parse(readFileSync(join(FIXTURE, 'expected.json'), 'utf8')) as {
  labels: string[];
  tolerance: number;
  cases: { input: string; probabilities: number[] }[];
};

describe('the converted Mini-XCEPTION 102-0.66', () => {
  it('uses the label order of the published weights', () => {
    expect(expected.labels).toEqual([...EMOTIONS]);
  });

  it('matches every probability of the reference fixture within 1e-4', async () => {
    const classifier = await ExpressionClassifier.forProfile('reference');
    const faces = expected.cases.map(({ input }) => new Uint8Array(cv.imread(join(FIXTURE, input), cv.IMREAD_GRAYSCALE).getData()));

    const predictions = await classifier.classify(faces);

    expect(predictions).toHaveLength(42);
    predictions.forEach((probabilities, i) => {
      expected.cases[i].probabilities.forEach((want, j) => {
        expect(Math.abs(probabilities[j] - want), `${expected.cases[i].input} ${EMOTIONS[j]}`).toBeLessThanOrEqual(expected.tolerance);
      });
    });
  });
});
