/** Loads the policy file the gateway runs under, with file:line errors naming the path given. */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { parsePolicy, type Policy } from '@privet/core';

/** A policy with what the gateway needs to resolve and identify it. */
export interface LoadedPolicy {
  policy: Policy;
  /** Absolute path of the policy file. */
  path: string;
  /** Folder the policy's source paths are relative to. */
  dir: string;
  text: string;
  /** SHA-256 of the policy text (hex). */
  hash: string;
}

/** Reads and validates a policy file; throws PolicyError (file:line:col) or a clear I/O error. */
export function loadPolicyFile(path: string): LoadedPolicy {
  const absolute = resolve(path);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const why =
      code === 'ENOENT'
        ? 'it does not exist'
        : code === 'EISDIR'
          ? 'it is a folder'
          : code === 'EACCES'
            ? 'it is not readable'
            : code;
    throw new Error(
      `cannot read policy file ${path} (${why}). Fix: name an existing policy YAML file (e.g. gateway/demo/policy.yaml)`,
    );
  }
  const policy = parsePolicy(text, path);
  return {
    policy,
    path: absolute,
    dir: dirname(absolute),
    text,
    hash: createHash('sha256').update(text).digest('hex'),
  };
}
