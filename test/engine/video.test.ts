import { describe, expect, it } from 'vitest';
import { analyzeVideo } from '../../lib/engine/engine.js';
import { EMOTIONS } from '../../lib/engine/labels.js';
import type { FaceResult, FrameResult } from '../../lib/engine/schema.js';
import { summarizeFrames } from '../../lib/engine/summary.js';
import { readSample, sample } from '../helpers/fixtures.js';

// samples/clip.mp4: 3.0 s at 10 fps, 640×376 — two_people.jpg for 2 s, then no-faces.jpg for 1 s.
describe('analyzeVideo on the sample clip', () => {
  it('samples at the requested rate with true timestamps', async () => {
    const result = await analyzeVideo(sample('clip.mp4'), { fps: 5 });

    expect(result.mediaType).toBe('video');
    expect([result.width, result.height, result.durationMs, result.sampledFps]).toEqual([640, 376, 3000, 5]);
    expect(result.frames.map((f) => f.index)).toEqual([...Array(15).keys()]);
    expect(result.frames.map((f) => f.timestampMs)).toEqual([...Array(15).keys()].map((i) => i * 200));
  });

  it('finds the two faces while they are on screen and none after', async () => {
    const result = await analyzeVideo(sample('clip.mp4'), { fps: 2 });

    const counts = result.frames.map((f) => f.faces.length);
    expect(counts).toEqual([2, 2, 2, 2, 0, 0]);
    expect(result.summary.framesWithFaces).toBe(4);
    expect(result.summary.facesDetected).toBe(8);
  });

  it('never samples faster than the source', async () => {
    const result = await analyzeVideo(readSample('clip.mp4'), { fps: 30 });

    expect(result.sampledFps).toBe(10);
    expect(result.frames).toHaveLength(30);
  });

  it('summarises shares that sum to 1 and a smoothed timeline of the same length', async () => {
    const { summary, frames } = await analyzeVideo(sample('clip.mp4'), { fps: 5 });

    expect(EMOTIONS.reduce((sum, label) => sum + summary.emotionShare[label], 0)).toBeCloseTo(1, 6);
    expect(summary.smoothedEmotions).toHaveLength(frames.length);
    expect(summary.smoothedEmotions.slice(-5)).toEqual([null, null, null, null, null]);
    expect(summary.dominantEmotion).not.toBeNull();
  });
});

describe('summarizeFrames', () => {
  const face = (emotion: (typeof EMOTIONS)[number]): FaceResult => {
    const emotions = Object.fromEntries(EMOTIONS.map((l) => [l, l === emotion ? 0.7 : 0.05])) as FaceResult['emotions'];
    return { box: { x: 0, y: 0, width: 1, height: 1 }, boxRatio: { x: 0, y: 0, width: 1, height: 1 }, emotions, dominantEmotion: emotion, confidence: 0.7 };
  };
  const frame = (index: number, ...faces: FaceResult[]): FrameResult => ({ index, timestampMs: index * 200, faces });

  it('smooths a one-frame flicker away', () => {
    const frames = [frame(0, face('happy')), frame(1, face('happy')), frame(2, face('sad')), frame(3, face('happy')), frame(4, face('happy'))];

    expect(summarizeFrames(frames).smoothedEmotions).toEqual(['happy', 'happy', 'happy', 'happy', 'happy']);
  });

  it('counts every face for the shares and picks the most frequent as dominant', () => {
    const summary = summarizeFrames([frame(1, face('sad'), face('sad')), frame(0, face('happy'))]);

    expect(summary.dominantEmotion).toBe('sad');
    expect(summary.emotionShare.sad).toBeCloseTo(2 / 3);
    expect(summary.framesWithFaces).toBe(2);
  });

  it('reports no dominant emotion when no face was seen', () => {
    const summary = summarizeFrames([frame(0), frame(1)]);

    expect(summary.dominantEmotion).toBeNull();
    expect(summary.smoothedEmotions).toEqual([null, null]);
  });
});
