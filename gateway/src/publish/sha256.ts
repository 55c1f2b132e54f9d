// Why: manifests, audit entries and the release records name files and policies by their SHA-256;
// one helper keeps every one of them the same lowercase hex.
import { createHash } from 'node:crypto';

/** SHA-256 of `data` as lowercase hex. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
