import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** The routes of the HTTP API, all served by the one API function. */
export const API_ROUTES: ReadonlyArray<{ method: apigwv2.HttpMethod; path: string }> = [
  { method: apigwv2.HttpMethod.POST, path: '/v1/analyze' },
  { method: apigwv2.HttpMethod.POST, path: '/v1/media' },
  { method: apigwv2.HttpMethod.GET, path: '/v1/media' },
  { method: apigwv2.HttpMethod.GET, path: '/v1/media/{mediaId}' },
  { method: apigwv2.HttpMethod.GET, path: '/v1/media/{mediaId}/frames' },
];

export interface ApiConstructProps {
  readonly handler: lambda.IFunction;
  /** Steady-state requests per second across all routes. @default 50 */
  readonly rateLimit?: number;
  /** Burst of requests above the steady rate. @default 100 */
  readonly burstLimit?: number;
}

/**
 * The HTTP API: every route goes to the API function and requires SigV4-signed requests (AWS_IAM
 * authorization), so callers are IAM principals allowed `execute-api:Invoke` on it. The `$default` stage logs
 * every request as JSON and is throttled.
 */
export class ApiConstruct extends Construct {
  readonly httpApi: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly accessLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ApiConstructProps) {
    super(scope, id);

    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      description: 'Facial expression recognition API',
      defaultAuthorizer: new HttpIamAuthorizer(),
      // The stage is created below, with access logs and throttling that HttpApi's default stage cannot take.
      createDefaultStage: false,
    });

    const integration = new HttpLambdaIntegration('ApiFunction', props.handler);
    for (const route of API_ROUTES) {
      this.httpApi.addRoutes({ path: route.path, methods: [route.method], integration });
    }

    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', { retention: logs.RetentionDays.THREE_MONTHS });
    this.stage = this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit ?? 50, burstLimit: props.burstLimit ?? 100 },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogGroup),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            caller: '$context.identity.caller',
            userArn: '$context.identity.userArn',
            routeKey: '$context.routeKey',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });
  }

  /** The API's base URL (the `$default` stage's, ending in `/`). */
  get url(): string {
    return this.stage.url;
  }
}
