import type { FastifyServerOptions } from 'fastify';

/** Where request log lines go (stdout unless a test or embedder gives a stream). */
export interface LogDestination {
  write(line: string): unknown;
}

/** A path segment after `/tickets/` is a download ticket: anyone who reads it can use it. */
const TICKET_IN_PATH = /\/tickets\/[^/?#]+/g;
/** A ticket wherever it stands (a query string, a path the router reaches some other way). */
const TICKET_ANYWHERE = /pvt_tkt_[A-Za-z0-9_-]+/g;
/** A run of %XX escapes. */
const ESCAPES = /(?:%[0-9A-Fa-f]{2})+/g;

/** `url` with its valid %XX escapes decoded, as the router decodes the path before matching. */
function decodeEscapes(url: string): string {
  return url.replace(ESCAPES, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run; // not UTF-8: the router refuses such a path, and the log keeps the escapes
    }
  });
}

/**
 * The request URL, decoded, with every download ticket replaced by `[ticket]`, so a log never
 * holds one — also when the path spells `/tickets/` or the ticket with %XX escapes
 * (`/%74ickets/…` reaches the ticket route too).
 */
export function redactRequestUrl(url: string): string {
  return decodeEscapes(url)
    .replace(TICKET_IN_PATH, '/tickets/[ticket]')
    .replace(TICKET_ANYWHERE, '[ticket]');
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
