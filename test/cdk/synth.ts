/**
 * Builds the stack the way `cdk synth` does (cdk.json's feature flags), minus the copy of the image's build
 * context into the cloud assembly: the template is the same, the tests just skip copying the repository.
 * No Docker is needed: an image asset is only built at deploy time.
 */
import { readFileSync } from 'node:fs';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { FerStack, type FerStackProps } from '../../lib/cloud/fer-stack.js';

const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
  context: Record<string, unknown>;
};

export function newApp(): App {
  return new App({ context: { ...cdkJson.context, 'aws:cdk:disable-asset-staging': true } });
}

export interface Synthesised {
  app: App;
  stack: FerStack;
  template: Template;
}

export function synthFerStack(props?: FerStackProps): Synthesised {
  const app = newApp();
  const stack = new FerStack(app, 'Fer', props);
  return { app, stack, template: Template.fromStack(stack) };
}

/** The logical id of a construct's CloudFormation resource (an L2's default child, or the resource itself). */
export function logicalId(construct: IConstruct): string {
  const resource = (construct.node.defaultChild ?? construct) as CfnElement;
  return Stack.of(construct).getLogicalId(resource);
}

/** `{ "Fn::GetAtt": [id, "Arn"] }`, the way templates reference a resource's ARN. */
export function arnOf(construct: IConstruct): { 'Fn::GetAtt': [string, string] } {
  return { 'Fn::GetAtt': [logicalId(construct), 'Arn'] };
}

export interface PolicyStatement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

export function actionsOf(statement: PolicyStatement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

export function resourcesOf(statement: PolicyStatement): unknown[] {
  return Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
}

/** Every statement of every AWS::IAM::Policy attached to `role`. */
export function statementsOfRole(template: Template, role: IConstruct): PolicyStatement[] {
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: logicalId(role) }] },
  });
  return Object.values(policies).flatMap(
    (policy) => (policy as { Properties: { PolicyDocument: { Statement: PolicyStatement[] } } }).Properties.PolicyDocument.Statement,
  );
}
