import { Duration, Size } from 'aws-cdk-lib';
import type * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { HandlerCommand } from './handlers.js';

export interface HandlerFunctionProps {
  /** The one container image every handler runs (layers/Dockerfile). */
  readonly image: ecrAssets.DockerImageAsset;
  /** The image CMD: which handler this function runs. */
  readonly handler: HandlerCommand;
  readonly description: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly environment: Readonly<Record<string, string>>;
  /** Scratch space under /tmp. @default 512 MiB */
  readonly ephemeralStorageSize?: Size;
  /** Where an asynchronous invocation goes once its retries are spent. @default none */
  readonly onFailure?: sqs.IQueue;
  /** Retries of a failed asynchronous invocation (0–2). @default 2 */
  readonly retryAttempts?: number;
}

/**
 * One Lambda function running one handler of the shared container image, with a role of its own that starts
 * empty (no AWS managed policy: it may write to its own log group and nothing else until something is granted)
 * and a log group with a retention.
 */
export class HandlerFunction extends Construct implements iam.IGrantable {
  readonly function: lambda.DockerImageFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    super(scope, id);

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of the ${props.handler} function`,
    });
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH });
    this.logGroup.grantWrite(this.role);

    this.function = new lambda.DockerImageFunction(this, 'Function', {
      // One image asset, many functions: each one points at the same pushed image with its own CMD.
      code: lambda.DockerImageCode.fromEcr(props.image.repository, {
        tagOrDigest: props.image.imageTag,
        cmd: [props.handler],
      }),
      architecture: lambda.Architecture.X86_64,
      description: props.description,
      memorySize: props.memorySize,
      timeout: props.timeout,
      ephemeralStorageSize: props.ephemeralStorageSize,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      role: this.role,
      logGroup: this.logGroup,
      onFailure: props.onFailure ? new SqsDestination(props.onFailure) : undefined,
      retryAttempts: props.onFailure ? (props.retryAttempts ?? 2) : undefined,
    });
  }

  get grantPrincipal(): iam.IPrincipal {
    return this.role;
  }
}
