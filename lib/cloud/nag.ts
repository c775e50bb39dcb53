/**
 * cdk-nag (v3) acknowledgements kept next to the code that causes each finding, with the reason in the
 * construct tree. cdk-nag v3 reads CDK's own `Validations.of(scope).acknowledge()` metadata on the resource
 * or any ancestor, and needs one acknowledgement per finding: a wildcard finding is named
 * `AwsSolutions-IAM5[Resource::<resource as cdk-nag flattens it>]`, so the helpers below spell it the same way
 * from the ARN token rather than from hand-copied logical ids.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, type IConstruct } from 'constructs';

/** Acknowledges one finding (`AwsSolutions-XX` or `AwsSolutions-XX[finding]`) on `scope` and its children. */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/**
 * Acknowledges the IAM5 wildcard finding for one resource ARN granted to `grantee`. The acknowledgement is put
 * on the grantee's principal (its role), which is the ancestor of the policy the grant lands in.
 */
export function acknowledgeWildcardResource(grantee: iam.IGrantable, resourceArn: string, reason: string): void {
  const principal = grantee.grantPrincipal;
  if (!Construct.isConstruct(principal)) return; // a service principal gets no policy, so there is no finding
  const resource = flattenCfnReference(Stack.of(principal).resolve(resourceArn));
  acknowledge(principal, `AwsSolutions-IAM5[Resource::${resource}]`, reason);
}

/** The same flattening cdk-nag applies (`Fn::Join` joined, `Fn::GetAtt` as `<Id.Attr>`, `Ref` as `<Id>`). */
function flattenCfnReference(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/}/g, '>');
  if (typeof node === 'object' && node !== null) {
    const fn = node as Record<string, unknown>;
    if (Array.isArray(fn['Fn::Join'])) {
      const [delimiter, items] = fn['Fn::Join'] as [string, unknown[]];
      return items.map(flattenCfnReference).join(delimiter);
    }
    if (fn['Fn::Sub'] !== undefined) return flattenCfnReference(fn['Fn::Sub']);
    if (Array.isArray(fn['Fn::GetAtt'])) {
      const [resource, attribute] = fn['Fn::GetAtt'] as [unknown, unknown];
      return `<${flattenCfnReference(resource)}.${flattenCfnReference(attribute)}>`;
    }
    if (fn['Fn::ImportValue'] !== undefined) return flattenCfnReference(fn['Fn::ImportValue']);
    if (fn.Ref !== undefined) return `<${flattenCfnReference(fn.Ref)}>`;
  }
  return JSON.stringify(node);
}
