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
    throw new Error(
      `cannot read policy file ${path} (${code}). Fix: pass an existing YAML file with --policy`,
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
