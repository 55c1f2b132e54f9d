import type { FastifyServerOptions } from 'fastify';

/** Where request log lines go (stdout unless a test or embedder gives a stream). */
export interface LogDestination {
  write(line: string): unknown;
}

/** A path segment after `/tickets/` is a download ticket: anyone who reads it can use it. */
const TICKET_IN_PATH = /\/tickets\/[^/?#]+/g;

/** The request URL with every download ticket replaced by `[ticket]`, so a log never holds one. */
export function redactRequestUrl(url: string): string {
  return url.replace(TICKET_IN_PATH, '/tickets/[ticket]');
}

/** The shape of a request as the log records it: no headers (tokens), no body, no ticket. */
type LoggedRequest = {
  method: string;
  url: string;
  remoteAddress?: string;
};

/** Fastify's `logger` option: off, or request lines with secrets kept out (tokens are headers, never logged). */
export function requestLogger(
  enabled: boolean,
  destination?: LogDestination,
): FastifyServerOptions['logger'] {
  if (!enabled) return false;
  return {
    level: 'info',
    ...(destination ? { stream: destination } : {}),
    serializers: {
      req(request: { method: string; url: string; ip?: string }): LoggedRequest {
        return {
          method: request.method,
          url: redactRequestUrl(request.url),
          remoteAddress: request.ip,
        };
      },
    },
  };
}
