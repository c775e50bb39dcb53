/** The HTTP API (see lib/service/api.ts for the routes): errors become JSON with their HTTP status. */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { routeApi } from '../lib/service/api.js';
import { httpJsonErrors } from '../lib/service/middleware.js';
import { services } from '../lib/service/services.js';

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>()
  .use(httpJsonErrors())
  .handler((event) => routeApi(event, services()));
