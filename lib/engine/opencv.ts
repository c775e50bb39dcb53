/**
 * OpenCV, loaded through `require`: the package's ESM entry fails on the `rimraf` it resolves (a named
 * export that rimraf's CommonJS build does not have), while its CommonJS entry is fine.
 */
import { createRequire } from 'node:module';
import type * as OpenCV from '@u4/opencv4nodejs';

const require = createRequire(import.meta.url);

// Loading the binding constructs opencv-build's environment, which logs its package.json settings on stdout:
// that would corrupt `fer analyze --json`, so its logger is silenced first.
(require('@u4/opencv-build') as { Log: { silence: boolean } }).Log.silence = true;

// The binding's custom Mat allocator reports external memory to V8 from the worker threads of *Async calls,
// which intermittently aborts the process in V8's garbage collector ("Check failed: marking_done_"): seen in
// 2 of 3 benchmark runs, none in 12 with the tracking off. Mats are still freed by their destructors.
process.env.OPENCV4NODEJS_DISABLE_EXTERNAL_MEM_TRACKING ??= '1';

export const cv = require('@u4/opencv4nodejs') as typeof OpenCV.cv;
export type { CascadeClassifier, Mat, VideoCapture, VideoWriter } from '@u4/opencv4nodejs';
