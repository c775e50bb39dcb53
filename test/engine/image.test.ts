import { cv } from '../../lib/engine/opencv.js';
import { describe, expect, it } from 'vitest';
import { analyzeImage } from '../../lib/engine/engine.js';
import { EMOTIONS } from '../../lib/engine/labels.js';
import type { ImageResult } from '../../lib/engine/schema.js';
import { readSample, withExifOrientation } from '../helpers/fixtures.js';

function expectWellFormed(result: ImageResult): void {
  for (const face of result.faces) {
    const { x, y, width, height } = face.box;
    expect(x).toBeGreaterThanOrEqual(0);
    expect(y).toBeGreaterThanOrEqual(0);
    expect(x + width).toBeLessThanOrEqual(result.width);
    expect(y + height).toBeLessThanOrEqual(result.height);
    expect(face.boxRatio.x).toBeCloseTo(x / result.width, 5);
    expect(face.boxRatio.width).toBeCloseTo(width / result.width, 5);
    const sum = EMOTIONS.reduce((total, label) => total + face.emotions[label], 0);
    expect(sum).toBeCloseTo(1, 4);
    expect(face.confidence).toBe(face.emotions[face.dominantEmotion]);
    expect(Math.max(...Object.values(face.emotions))).toBe(face.confidence);
  }
}

describe('analyzeImage on real photos', () => {
  it.each([
    ['obama.jpg', 1],
    ['biden.jpg', 1],
    ['justin.jpg', 1],
    ['two_people.jpg', 2],
    ['obama_and_biden.jpg', 2],
    ['no-faces.jpg', 0],
  ])('finds the faces of %s (%i)', async (name, count) => {
    const result = await analyzeImage(readSample(name), { source: name });

    expect(result.faces).toHaveLength(count);
    expectWellFormed(result);
  });

  it('reports the image size and the model of the profile', async () => {
    const result = await analyzeImage(readSample('two_people.jpg'), { profile: 'accurate' });

    expect([result.width, result.height]).toEqual([1126, 661]);
    expect(result.model).toEqual({ id: 'mini-xception-102-0.66+big-xception-54-0.66', profile: 'accurate' });
    expect(result.timingsMs.total).toBeGreaterThanOrEqual(result.timingsMs.detect);
  });

  it('sorts faces by size, largest first', async () => {
    const { faces } = await analyzeImage(readSample('two_people.jpg'));

    expect(faces[0].box.width * faces[0].box.height).toBeGreaterThanOrEqual(faces[1].box.width * faces[1].box.height);
  });

  it('maps boxes found on the downscaled copy back to original pixels', async () => {
    const bytes = readSample('obama.jpg');
    const downscaled = await analyzeImage(bytes, { detection: { maxDetectDimension: 400 } });
    const full = await analyzeImage(bytes, { detection: { maxDetectDimension: 0 } });

    const [a] = downscaled.faces;
    const [b] = full.faces;
    expect(Math.abs(a.box.x + a.box.width / 2 - (b.box.x + b.box.width / 2))).toBeLessThan(b.box.width * 0.1);
    expect(Math.abs(a.box.width - b.box.width)).toBeLessThan(b.box.width * 0.2);
  });

  it('honours EXIF orientation: a sideways photo tagged "rotate 90°" is analysed upright', async () => {
    const upright = readSample('justin.jpg');
    const sideways = cv.imencode('.jpg', cv.imdecode(upright).rotate(cv.ROTATE_90_COUNTERCLOCKWISE));
    const tagged = withExifOrientation(sideways, 6);

    const plain = await analyzeImage(sideways);
    const oriented = await analyzeImage(tagged);

    expect(plain.faces).toHaveLength(0);
    expect(oriented.faces).toHaveLength(1);
    expect([oriented.width, oriented.height]).toEqual([381, 384]);
  });
});
