/**
 * cdk-nag's AwsSolutions pack. cdk-nag v3 is a CDK policy-validation plugin (no Aspect, no annotations, no
 * NagSuppressions): findings are acknowledged with `Validations.of(scope).acknowledge()` next to their cause
 * (lib/cloud/nag.ts), and `validateScope` runs the pack over a construct tree directly.
 */
import { type App, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FerStack } from '../../lib/cloud/fer-stack.js';
import { newApp, synthFerStack } from './synth.js';

// With a source bucket, so the grants of the events construct are checked too.
const PROPS = { sourceBuckets: ['camera-drops'] };

let app: App;
let stack: FerStack;

beforeAll(() => {
  ({ app, stack } = synthFerStack(PROPS));
});

interface Acknowledgement {
  path: string;
  id: string;
  reason: string;
}

function acknowledgementsIn(root: IConstruct): Acknowledgement[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([qualifiedId, reason]) => ({
          path: construct.node.path,
          id: qualifiedId.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

const describeViolation = (violation: { ruleName: string; violatingResources: { constructPath?: string }[] }) =>
  `${violation.ruleName} at ${violation.violatingResources.map((resource) => resource.constructPath).join(', ')}`;

describe('cdk-nag AwsSolutions', () => {
  it('leaves no finding unacknowledged, error or warning', () => {
    const report = new AwsSolutionsChecks().validateScope(app);

    expect(report.violations.map(describeViolation)).toEqual([]);
  });

  it('acknowledges only findings that exist, each with a reason', () => {
    const acknowledgements = acknowledgementsIn(stack).filter((ack) => ack.id.startsWith('AwsSolutions-'));
    // The same pack with acknowledgements ignored (an instance field shadows cdk-nag's private check).
    const unacknowledgedPack = new AwsSolutionsChecks();
    (unacknowledgedPack as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
    const findings = unacknowledgedPack.validateScope(app).violations;

    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const ack of acknowledgements) {
      const explained = findings.some(
        (finding) =>
          finding.ruleName === ack.id &&
          finding.violatingResources.some((resource) => resource.constructPath?.startsWith(`${ack.path}/`)),
      );
      expect(explained, `${ack.id} acknowledged at ${ack.path} matches no finding`).toBe(true);
      expect(ack.reason.length, `${ack.id} at ${ack.path} needs a real reason`).toBeGreaterThan(40);
    }
  });

  it('lets synth pass with the pack registered the way bin/app.ts registers it', () => {
    const checkedApp = newApp();
    new FerStack(checkedApp, 'Fer', PROPS);
    Validations.of(checkedApp).addPlugins(new AwsSolutionsChecks(checkedApp));

    expect(() => checkedApp.synth()).not.toThrow();
  });
});

describe('CDK annotations', () => {
  it('has no warnings or errors', () => {
    const annotations = Annotations.fromStack(stack);

    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
    expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
  });
});
