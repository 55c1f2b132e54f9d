/** Validated path parameters: malformed names are a 400 that says what a valid one looks like. */
import type { FastifyRequest } from 'fastify';
import { EXPERIMENT_ID } from '../experiments/artefacts.js';
import { HttpError } from './errors.js';

const VIEW_NAME = /^[a-z][a-z0-9_]{0,62}$/;

function pathParam(
  request: FastifyRequest,
  key: string,
  pattern: RegExp,
  what: string,
  fix: string,
): string {
  const value = (request.params as Record<string, string | undefined>)[key] ?? '';
  if (!pattern.test(value)) throw new HttpError('bad_request', `the ${what} is malformed`, fix);
  return value;
}

/** The `:name` of a view route. */
export function viewParam(request: FastifyRequest): string {
  return pathParam(
    request,
    'name',
    VIEW_NAME,
    'view name',
    'view names are lower_snake_case, as listed by GET /api/v1/views',
  );
}

/** The `:id` of an experiment route. */
export function experimentParam(request: FastifyRequest): string {
  return pathParam(
    request,
    'id',
    EXPERIMENT_ID,
    'experiment id',
    'use an id as listed by GET /api/v1/experiments',
  );
}
