// Why: the largest request bodies (exports up to 32 MB, review requests up to 16 MB) are parsed in
// the output-check worker instead of on the event loop, so those routes receive the raw bytes.
// They are parsed here the way Fastify parses every other JSON body (secure-json-parse: a
// "__proto__" or "constructor.prototype" key is refused), with the same kind of error.
import sjson from 'secure-json-parse';
import type { FastifyRequest } from 'fastify';
import { HttpError } from './errors.js';
import { nestsDeeperThan, tooDeep } from './json-depth.js';

/** The raw bytes of a request whose route receives its body unparsed (server.ts). */
export function rawJsonBody(request: FastifyRequest): Uint8Array {
  const body = request.body;
  if (!(body instanceof Uint8Array) || body.length === 0)
    throw new HttpError(
      'bad_request',
      'the request has no JSON body',
      'send the body as JSON with Content-Type: application/json',
    );
  return body;
}

/**
 * Parses a JSON request body (bytes, UTF-8); malformed JSON, or JSON nested deeper than
 * MAX_JSON_DEPTH, is a 400 that repeats none of it.
 */
export function parseJsonBody(bytes: Uint8Array): unknown {
  if (nestsDeeperThan(bytes)) throw tooDeep();
  try {
    return sjson.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), null, {
      protoAction: 'error',
      constructorAction: 'error',
    });
  } catch {
    throw new HttpError(
      'bad_request',
      'the request body is not valid JSON',
      'send the body as JSON with Content-Type: application/json',
    );
  }
}
