/**
 * Derived artefacts of an experiment (exports, cached results, notebooks copies) live under
 * `<stateDir>/experiments/<id>/`; dissolution removes that folder when the retention period ends.
 */
import { readdir, rm } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { ServiceError } from '../audit/service-error.js';

/** Where an experiment's derived artefacts are kept and how they are deleted. */
export interface ArtefactStore {
  /** Deletes every derived artefact of the experiment; resolves to the number of files removed. */
  remove(experimentId: string): Promise<number>;
}

/** Experiment ids: lower-case letters, digits, `_` and `-` (safe as a folder name). */
export const EXPERIMENT_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** The artefact folder of an experiment below `stateDir`; refuses ids that could escape it. */
export function artefactDir(stateDir: string, experimentId: string): string {
  const base = resolve(stateDir, 'experiments');
  const dir = resolve(base, experimentId);
  if (!EXPERIMENT_ID.test(experimentId) || !dir.startsWith(base + sep)) {
    throw new ServiceError(
      'bad_request',
      'experiment.bad-id',
      'experiment id is not a safe folder name',
      'use lower-case letters, digits, "_" and "-" (at most 63 characters)',
    );
  }
  return dir;
}

async function countFiles(dir: string, depth: number): Promise<number> {
  if (depth > 64) return 0;
  let n = 0;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    n += e.isDirectory() ? await countFiles(join(dir, e.name), depth + 1) : 1;
  }
  return n;
}

/** An ArtefactStore removing `<stateDir>/experiments/<id>/` recursively. */
export function directoryArtefactStore(stateDir: string): ArtefactStore {
  return {
    async remove(experimentId: string): Promise<number> {
      const dir = artefactDir(stateDir, experimentId);
      const n = await countFiles(dir, 0);
      await rm(dir, { recursive: true, force: true });
      return n;
    },
  };
}
