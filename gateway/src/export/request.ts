// Why: an export's body is validated where it is parsed — on the main thread for the gateway host's
// CLI, in the output-check worker for POST /exports — so the check lives apart from the service.
import type { CreateExportRequest } from '@privet/core';
import { HttpError } from '../http/errors.js';
import { experimentField, objectBody } from '../review/validate.js';

/** Validates a CreateExportRequest body (400 with the field and its fix otherwise). */
export function parseExportRequest(body: unknown): CreateExportRequest {
  const b = objectBody(body, '{ experiment, name, notebook }');
  const experiment = experimentField(b);
  if (typeof b.name !== 'string' || b.name.trim() === '' || b.name.length > 1000)
    throw new HttpError(
      'bad_request',
      '"name" must be the notebook path or name',
      'send e.g. "name": "analysis.ipynb"',
    );
  if (typeof b.notebook !== 'object' || b.notebook === null || Array.isArray(b.notebook))
    throw new HttpError(
      'bad_request',
      '"notebook" must be the notebook JSON object',
      'send the .ipynb content as JSON',
    );
  return { experiment, name: b.name, notebook: b.notebook as Record<string, unknown> };
}
