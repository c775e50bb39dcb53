/**
 * Which handler each Lambda function runs. Deliberately free of CDK imports so handler-side code and tests
 * can read it too.
 *
 * The object-key layout and the suffix lists that route uploads live with the handlers' own routing
 * (lib/service/routing.ts), which `fer serve` uses too; the constructs import them from there.
 *
 * Every function runs the same container image (layers/Dockerfile); the image's CMD names the handler as
 * `<module path relative to /var/task>.<export>`, which the runtime interface client resolves. Every `cmd`
 * the stack sets comes from this map, so renaming a handler module or export breaks a test, not a deploy.
 */
export const HANDLERS = {
  imageUpload: 'dist/functions/image-upload.handler',
  api: 'dist/functions/api.handler',
  videoSplit: 'dist/functions/video-split.handler',
  frameWorker: 'dist/functions/frame-worker.handler',
} as const;

export type HandlerName = keyof typeof HANDLERS;
export type HandlerCommand = (typeof HANDLERS)[HandlerName];
