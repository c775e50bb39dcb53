#!/usr/bin/env node
/**
 * The CDK app: `npx cdk synth` / `npx cdk deploy` (cdk.json compiles first, then runs dist/bin/app.js).
 * Settings come from context, on the command line (`-c memorySize=3008 -c sourceBuckets=a,b`) or in cdk.json;
 * anything not given takes the stack's default (lib/cloud/fer-stack.ts).
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { ProfileName } from '../lib/engine/schema.js';
import { FerStack } from '../lib/cloud/fer-stack.js';

const app = new App();

function numberContext(name: string): number | undefined {
  const raw: unknown = app.node.tryGetContext(name);
  if (raw === undefined || raw === '') return undefined;
  const value = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isFinite(value)) throw new Error(`context ${name} must be a number, not ${JSON.stringify(raw)}`);
  return value;
}

function listContext(name: string): string[] | undefined {
  const raw: unknown = app.node.tryGetContext(name);
  if (raw === undefined || raw === '') return undefined;
  if (Array.isArray(raw) && raw.every((item) => typeof item === 'string')) return raw;
  if (typeof raw === 'string') return raw.split(',').map((item) => item.trim()).filter(Boolean);
  throw new Error(`context ${name} must be a list of names or a comma-separated string, not ${JSON.stringify(raw)}`);
}

new FerStack(app, 'Fer', {
  description: 'Serverless facial expression recognition (OpenCV Haar faces + Mini-XCEPTION FER2013)',
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  memorySize: numberContext('memorySize'),
  frameFps: numberContext('frameFps'),
  maxVideoDurationSeconds: numberContext('maxVideoDurationSeconds'),
  maxFrames: numberContext('maxFrames'),
  maxUploadBytes: numberContext('maxUploadBytes'),
  resultRetentionDays: numberContext('resultRetentionDays'),
  frameRetentionDays: numberContext('frameRetentionDays'),
  profile: app.node.tryGetContext('profile') as ProfileName | undefined,
  sourceBuckets: listContext('sourceBuckets'),
});

// cdk-nag v3 is a policy-validation plugin: an unacknowledged AwsSolutions error fails synth, and every
// finding is listed in the cloud assembly's validation report.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
