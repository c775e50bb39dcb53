/**
 * `npm run bench`: per-stage times on the bundled photos and the sample clip, model/cascade load time and
 * peak memory, for each profile — each profile in a fresh process, so load time and peak RSS are its own.
 * A plain full-resolution detection of the same photos runs alongside, to show what downscaling buys.
 *
 *   npm run bench [-- --runs 5]
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { initBackend } from '../lib/engine/backend.js';
import { PROFILES } from '../lib/engine/classifier.js';
import { decodeImage } from '../lib/engine/decode.js';
import { DEFAULT_DETECTION, detectFaces } from '../lib/engine/detector.js';
import { analyzeImage, analyzeVideo, getClassifier } from '../lib/engine/engine.js';
import { PROJECT_ROOT } from '../lib/engine/paths.js';
import type { ProfileName } from '../lib/engine/schema.js';

const PHOTOS = ['obama.jpg', 'biden.jpg', 'justin.jpg', 'two_people.jpg', 'obama_and_biden.jpg', 'no-faces.jpg'];
const VIDEO = 'clip.mp4';

interface Row {
  input: string;
  size: string;
  faces: number;
  decode: number;
  detect: number;
  classify: number;
  perFace: number;
  total: number;
}

interface ProfileReport {
  profile: ProfileName;
  backend: string;
  loadMs: number;
  peakRssMiB: number;
  rows: Row[];
  fullResolution: { input: string; faces: number; detect: number }[];
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (v: number) => v.toFixed(1);

async function measureProfile(profile: ProfileName, runs: number): Promise<ProfileReport> {
  const loadStart = performance.now();
  const backend = await initBackend();
  await getClassifier(profile);
  const loadMs = performance.now() - loadStart;

  const rows: Row[] = [];
  for (const name of PHOTOS) {
    const bytes = readFileSync(join(PROJECT_ROOT, 'samples', name));
    await analyzeImage(bytes, { profile }); // warm-up
    const results = [];
    for (let i = 0; i < runs; i++) results.push(await analyzeImage(bytes, { profile }));
    const faces = results[0].faces.length;
    const classify = median(results.map((r) => r.timingsMs.classify));
    rows.push({
      input: name,
      size: `${results[0].width}×${results[0].height}`,
      faces,
      decode: median(results.map((r) => r.timingsMs.decode)),
      detect: median(results.map((r) => r.timingsMs.detect)),
      classify,
      perFace: faces ? classify / faces : 0,
      total: median(results.map((r) => r.timingsMs.total)),
    });
  }
  const videoRuns = [];
  for (let i = 0; i < Math.max(1, Math.floor(runs / 2)); i++) {
    videoRuns.push(await analyzeVideo(join(PROJECT_ROOT, 'samples', VIDEO), { profile, fps: 5 }));
  }
  const video = videoRuns[0];
  const videoFaces = video.summary.facesDetected;
  const videoClassify = median(videoRuns.map((r) => r.timingsMs.classify));
  rows.push({
    input: `${VIDEO} (${video.frames.length} frames @5 fps)`,
    size: `${video.width}×${video.height}`,
    faces: videoFaces,
    decode: median(videoRuns.map((r) => r.timingsMs.decode)),
    detect: median(videoRuns.map((r) => r.timingsMs.detect)),
    classify: videoClassify,
    perFace: videoFaces ? videoClassify / videoFaces : 0,
    total: median(videoRuns.map((r) => r.timingsMs.total)),
  });

  const fullResolution = [];
  for (const name of PHOTOS) {
    const image = await decodeImage(readFileSync(join(PROJECT_ROOT, 'samples', name)));
    const times = [];
    let faces = 0;
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      faces = (await detectFaces(image.gray, { ...DEFAULT_DETECTION, maxDetectDimension: 0 })).length;
      times.push(performance.now() - start);
    }
    fullResolution.push({ input: name, faces, detect: median(times) });
  }
  return { profile, backend, loadMs, peakRssMiB: process.resourceUsage().maxRSS / 1024, rows, fullResolution };
}

function printReport(reports: ProfileReport[]): void {
  const out: string[] = [];
  for (const report of reports) {
    out.push(
      `### profile \`${report.profile}\` — backend ${report.backend}, model + cascade load ${ms(report.loadMs)} ms, peak RSS ${report.peakRssMiB.toFixed(0)} MiB`,
      '',
      '| input | size | faces | decode ms | detect ms | classify ms | classify ms/face | total ms |',
      '|---|---|---:|---:|---:|---:|---:|---:|',
      ...report.rows.map((r) => `| ${r.input} | ${r.size} | ${r.faces} | ${ms(r.decode)} | ${ms(r.detect)} | ${ms(r.classify)} | ${ms(r.perFace)} | ${ms(r.total)} |`),
      '',
    );
  }
  const [first] = reports;
  out.push(
    `### detection: downscaled to ${DEFAULT_DETECTION.maxDetectDimension} px (default) vs plain full resolution`,
    '',
    '| input | faces (default) | detect ms (default) | faces (full res.) | detect ms (full res.) |',
    '|---|---:|---:|---:|---:|',
    ...first.fullResolution.map((f, i) => `| ${f.input} | ${first.rows[i].faces} | ${ms(first.rows[i].detect)} | ${f.faces} | ${ms(f.detect)} |`),
    '',
  );
  console.log(out.join('\n'));
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, profile: { type: 'string' } } });
  const runs = Number(values.runs);
  if (values.profile) {
    // child mode: one profile, JSON on stdout
    console.log(JSON.stringify(await measureProfile(values.profile as ProfileName, runs)));
    return;
  }
  const self = fileURLToPath(import.meta.url);
  const reports = (Object.keys(PROFILES) as ProfileName[]).map((profile) => {
    process.stderr.write(`bench: profile ${profile}…\n`);
    const stdout = execFileSync(process.execPath, [self, '--profile', profile, '--runs', String(runs)], { encoding: 'utf8' });
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as ProfileReport;
  });
  printReport(reports);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
