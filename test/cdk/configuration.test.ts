import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { FerStack, type FerStackProps } from '../../lib/cloud/fer-stack.js';
import { IMAGE_SUFFIXES, VIDEO_SUFFIXES } from '../../lib/service/routing.js';
import { actionsOf, arnOf, logicalId, newApp, resourcesOf, statementsOfRole, synthFerStack } from './synth.js';

const SOURCE_BUCKETS = ['camera-drops', 'partner-media'];
const PROPS: FerStackProps = {
  memorySize: 3008,
  frameFps: 2,
  maxVideoDurationSeconds: 120,
  maxFrames: 240,
  maxUploadBytes: 10 * 1024 * 1024,
  resultRetentionDays: 7,
  frameRetentionDays: 3,
  profile: 'accurate',
  sourceBuckets: SOURCE_BUCKETS,
};

let stack: FerStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = synthFerStack(PROPS));
});

type Resource = { Properties: Record<string, any> };
const resourcesOfType = (type: string) => Object.values(template.findResources(type)) as Resource[];
const propertiesOf = (id: string): Record<string, any> => template.toJSON().Resources[id].Properties;

describe('stack props', () => {
  it('size every function with memorySize', () => {
    const functions = resourcesOfType('AWS::Lambda::Function').filter((fn) => fn.Properties.PackageType === 'Image');

    expect(functions.map((fn) => fn.Properties.MemorySize)).toEqual([3008, 3008, 3008, 3008]);
  });

  it('reach the handlers as their settings', () => {
    expect(propertiesOf(logicalId(stack.videoFanout.splitterFunction.function)).Environment.Variables).toMatchObject({
      FER_PROFILE: 'accurate',
      FRAME_FPS: '2',
      MAX_VIDEO_DURATION_MS: '120000',
      MAX_FRAMES: '240',
      MAX_UPLOAD_BYTES: String(10 * 1024 * 1024),
      RESULT_TTL_DAYS: '7',
    });
  });

  it('set how long sampled frames are kept', () => {
    const rules = propertiesOf(logicalId(stack.storage.bucket)).LifecycleConfiguration.Rules;

    expect(rules).toEqual(expect.arrayContaining([expect.objectContaining({ Prefix: 'frames/', ExpirationInDays: 3 })]));
  });

  it.each([
    [{ memorySize: 64 }, /memorySize/],
    [{ memorySize: 2048.5 }, /memorySize/],
    [{ frameFps: 0 }, /frameFps/],
    [{ maxFrames: -1 }, /maxFrames/],
    [{ frameRetentionDays: 0 }, /frameRetentionDays/],
    [{ profile: 'slow' as never }, /profile/],
  ])('are refused at synth when out of range: %o', (props, message) => {
    expect(() => new FerStack(newApp(), 'Fer', props)).toThrow(message);
  });
});

describe('source buckets', () => {
  type Rule = { Properties: { EventPattern: any; EventBusName?: unknown; Targets: any[] } };
  const rules = () => resourcesOfType('AWS::Events::Rule') as unknown as Rule[];
  const ruleTargeting = (fn: Parameters<typeof arnOf>[0]): Rule => {
    const matching = rules().filter((rule) => rule.Properties.Targets.some((target) => JSON.stringify(target.Arn) === JSON.stringify(arnOf(fn))));
    expect(matching).toHaveLength(1);
    return matching[0];
  };
  const keyFilter = (suffixes: readonly string[]) => suffixes.map((suffix) => ({ suffix: { 'equals-ignore-case': suffix } }));

  it('send images created in them, from the default bus, to the image function', () => {
    const rule = ruleTargeting(stack.inference.imageUploadFunction.function);

    expect(rule.Properties.EventBusName).toBeUndefined();
    expect(rule.Properties.EventPattern).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: { bucket: { name: SOURCE_BUCKETS }, object: { key: keyFilter(IMAGE_SUFFIXES) } },
    });
  });

  it('send videos created in them to the splitter', () => {
    const rule = ruleTargeting(stack.videoFanout.splitterFunction.function);

    expect(rule.Properties.EventBusName).toBeUndefined();
    expect(rule.Properties.EventPattern.detail).toEqual({
      bucket: { name: SOURCE_BUCKETS },
      object: { key: keyFilter(VIDEO_SUFFIXES) },
    });
  });

  it('dead-letter events EventBridge cannot deliver into the failed-uploads queue', () => {
    for (const rule of rules()) {
      expect(rule.Properties.Targets[0].DeadLetterConfig).toEqual({ Arn: arnOf(stack.inference.failedUploadsQueue) });
    }
  });

  it('may be read, and only read, by the image function and the splitter', () => {
    for (const fn of [stack.inference.imageUploadFunction, stack.videoFanout.splitterFunction]) {
      const statements = statementsOfRole(template, fn.role);
      for (const bucket of SOURCE_BUCKETS) {
        const onBucket = statements.filter((statement) => JSON.stringify(resourcesOf(statement)).includes(`:s3:::${bucket}/*`));
        expect(onBucket.flatMap(actionsOf)).toEqual(['s3:GetObject']);
      }
    }
  });

  it('are not readable by the frame worker or the API', () => {
    for (const fn of [stack.videoFanout.frameWorkerFunction, stack.inference.apiFunction]) {
      const resources = JSON.stringify(statementsOfRole(template, fn.role).flatMap(resourcesOf));
      for (const bucket of SOURCE_BUCKETS) expect(resources).not.toContain(bucket);
    }
  });
});
