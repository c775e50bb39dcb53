import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cv } from '../lib/engine/opencv.js';
import { describe, expect, it } from 'vitest';
import { EMOTIONS } from '../lib/engine/labels.js';
import { PROJECT_ROOT } from '../lib/engine/paths.js';
import { fer } from './helpers/cli.js';
import { badInputs, sample, tempDir } from './helpers/fixtures.js';

const FACE_LINE = /^samples\/two_people\.jpg: face [12] at \(\d+,\d+,\d+,\d+\): Detected Emotion: (Angry|Disgust|Fear|Happy|Sad|Surprise|Neutral) \(\d+\.\d%\)$/;

describe('fer analyze', () => {
  it('prints one line per face and exits 0', async () => {
    const run = await fer(['analyze', 'samples/two_people.jpg']);

    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatch(FACE_LINE);
  });

  it('says so when there is no face, and still exits 0', async () => {
    const run = await fer(['analyze', 'samples/no-faces.jpg']);

    expect(run).toMatchObject({ code: 0, stdout: 'samples/no-faces.jpg: no face detected\n' });
  });

  it('prints NDJSON in the result schema, with an error document for a failed input, and exits 1', async () => {
    const dir = tempDir();
    const broken = join(dir, 'notes.jpg');
    writeFileSync(broken, 'not a photo at all, just text\n');

    const run = await fer(['analyze', '--json', 'samples/justin.jpg', broken, 'samples/clip.mp4']);

    expect(run.code).toBe(1);
    const [image, failure, video] = run.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(image).toMatchObject({ source: 'samples/justin.jpg', mediaType: 'image', width: 381, height: 384 });
    expect(image.faces[0]).toHaveProperty('boxRatio');
    expect(Object.keys(image.faces[0].emotions)).toEqual([...EMOTIONS]);
    expect(Object.keys(image.timingsMs)).toEqual(['decode', 'detect', 'classify', 'total']);
    expect(failure).toEqual({ source: broken, error: { code: 'UnsupportedMediaType', message: expect.any(String) } });
    expect(video).toMatchObject({ mediaType: 'video', sampledFps: 5, durationMs: 3000 });
    expect(video.frames[3]).toMatchObject({ index: 3, timestampMs: 600 });
    expect(video.summary.framesAnalyzed).toBe(15);
  });

  it('analyses every media file of a directory', async () => {
    const dir = tempDir();
    symlinkSync(sample('obama.jpg'), join(dir, 'a.jpg'));
    symlinkSync(sample('no-faces.jpg'), join(dir, 'b.jpg'));
    writeFileSync(join(dir, 'readme.txt'), 'skipped: not a media extension');

    const run = await fer(['analyze', dir]);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${join(dir, 'a.jpg')}: face 1 at`);
    expect(run.stdout).toContain(`${join(dir, 'b.jpg')}: no face detected`);
  });

  it('writes annotated copies of images and videos with --annotate', async () => {
    const out = tempDir();

    const run = await fer(['analyze', 'samples/two_people.jpg', 'samples/clip.mp4', '--annotate', out, '--fps', '2']);

    expect(run.code).toBe(0);
    const annotated = cv.imread(join(out, 'two_people.annotated.jpg'));
    expect([annotated.cols, annotated.rows]).toEqual([1126, 661]);
    expect(cv.imread(sample('two_people.jpg')).absdiff(annotated).bgrToGray().countNonZero()).toBeGreaterThan(0);
    const video = new cv.VideoCapture(join(out, 'clip.annotated.mp4'));
    expect(video.get(cv.CAP_PROP_FRAME_COUNT)).toBe(6);
  });

  it.each(badInputs())('refuses $name with $code and exits 1', async ({ file, bytes, code }) => {
    const dir = tempDir();
    writeFileSync(join(dir, file), bytes);

    const run = await fer(['analyze', '--json', join(dir, file)]);

    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).error.code).toBe(code);
  });

  it('reports a missing path as NotFound and goes on with the next input', async () => {
    const run = await fer(['analyze', 'samples/nope.jpg', 'samples/justin.jpg']);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('samples/nope.jpg: error NotFound');
    expect(run.stdout).toMatch(/^samples\/justin\.jpg: face 1 at/);
  });
});

describe('usage errors exit 2', () => {
  it.each([
    [[]],
    [['frobnicate']],
    [['analyze']],
    [['analyze', 'samples/obama.jpg', '--profile', 'best']],
    [['analyze', 'samples/obama.jpg', '--fps', 'fast']],
    [['analyze', 'samples/obama.jpg', '--fps', '0']],
    [['analyze', 'samples/obama.jpg', '--colour']],
    [['eval']],
  ])('fer %j', async (args) => {
    const run = await fer(args);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('usage: fer analyze');
    expect(run.stdout).toBe('');
  });
});

describe('fer eval', () => {
  /** The 42 parity faces, laid out as FER2013 is: one sub-folder per label. */
  function fixtureDataset(): string {
    const dir = tempDir();
    const inputs = join(PROJECT_ROOT, 'test', 'fixtures', 'mini-xception-102', 'inputs');
    for (const label of EMOTIONS) mkdirSync(join(dir, label));
    for (const file of readdirSync(inputs)) {
      symlinkSync(join(inputs, file), join(dir, file.split('_')[0], file));
    }
    return dir;
  }

  it('prints accuracy, per-class precision/recall and the confusion matrix as JSON', async () => {
    const run = await fer(['eval', fixtureDataset(), '--profile', 'reference', '--json']);

    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.labels).toEqual([...EMOTIONS]);
    expect(report.n).toBe(42);
    expect(report.confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(42);
    expect(report.accuracy).toBeGreaterThan(0.5);
    expect(Object.keys(report.perClass)).toEqual([...EMOTIONS]);
  });

  it('prints a readable table without --json', async () => {
    const run = await fer(['eval', fixtureDataset()]);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^42 faces, profile fast .*: accuracy \d+\.\d\d%/);
    expect(run.stdout).toContain('confusion (rows: actual, columns: predicted)');
  });

  it('fails with NotFound on a missing directory', async () => {
    const run = await fer(['eval', 'no/such/dir']);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error NotFound');
  });
});

describe('npx fer', () => {
  it('runs the CLI from the repository root, as the README says', () => {
    const output = execFileSync('npx', ['fer', 'info'], { cwd: PROJECT_ROOT, encoding: 'utf8' });

    expect(output).toMatch(/^fer \d+\.\d+\.\d+ \(node v\d+/);
  });
});

describe('fer info', () => {
  it('prints the backend, the models and the versions', async () => {
    const run = await fer(['info']);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/backend: (wasm|tensorflow) \(tfjs 4\.\d+\.\d+\)/);
    expect(run.stdout).toContain('mini-xception-102-0.66');
    expect(run.stdout).toContain('big-xception-54-0.66');
    expect(run.stdout).toMatch(/opencv: 4\./);
  });
});
