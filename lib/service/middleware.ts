/**
 * Cross-cutting concerns of the handlers, as middy middleware: errors become JSON `{"error": {code, message}}`
 * with the error's status (never a stack trace; messages of 5xx errors are not exposed), and each failure is
 * logged once with the request id.
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { toFerError } from '../engine/errors.js';

export function jsonResponse(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

export function errorResponse(error: unknown): APIGatewayProxyStructuredResultV2 {
  const failure = toFerError(error);
  const message = failure.expose ? failure.message : 'internal error';
  return jsonResponse(failure.statusCode, { error: { code: failure.code, message } });
}

export function log(level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, message, ...fields });
  if (level === 'error') console.error(line);
  else if (process.env.FER_QUIET !== '1') console.log(line);
}

/** Maps any error of an HTTP handler to its JSON response. */
export function httpJsonErrors(): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context> {
  return {
    onError: async (request) => {
      const failure = toFerError(request.error);
      if (!failure.expose) {
        log('error', 'request failed', { requestId: request.context?.awsRequestId, error: String(request.error?.stack ?? request.error) });
      }
      request.response = errorResponse(request.error);
    },
  };
}

/** Logs the failure of an event handler (S3, SQS, direct invoke) with its request id and rethrows it. */
export function logFailures<E, R>(): MiddlewareObj<E, R, Error, Context> {
  return {
    onError: async (request) => {
      const failure = toFerError(request.error);
      log(failure.expose ? 'warn' : 'error', 'event failed', {
        requestId: request.context?.awsRequestId,
        code: failure.code,
        error: failure.expose ? failure.message : String(request.error?.stack ?? request.error),
      });
    },
  };
}
