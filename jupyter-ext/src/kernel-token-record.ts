/**
 * Which kernels this browser tab gave the gateway token, kept in the tab's sessionStorage so a
 * page reload does not forget them (kernel-token.ts re-attaches to them on start). Why: the kernel
 * processes outlive the page and keep the token in their environment, while the sign-in is
 * restored from sessionStorage; without this record a later sign-out would leave the token in
 * them. Only kernel ids, gateway base URLs and user names are kept, never a token: nothing here
 * is secret.
 */
import { tabStorage } from './tab-storage.js';

/** The sessionStorage key of the record. */
export const KERNEL_RECORD_KEY = 'privet:kernels';

/** At most this many kernels are remembered; the oldest are dropped first. */
export const KERNEL_RECORD_LIMIT = 64;

/** One remembered kernel: its id, and whose token it was given for which gateway (never the token). */
export interface RememberedKernel {
  /** The Jupyter kernel id. */
  readonly id: string;
  /** The base URL of the gateway whose token the kernel was given. */
  readonly gateway: string;
  /** The user whose token it was given ('' in a record kept before users were: nobody's). */
  readonly user: string;
}

/** A Jupyter kernel id (a UUID) as far as the record accepts it. */
const ID_SHAPE = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * The entry stored as `value` when it has the right shape (the stored text may be anything), else
 * undefined. An entry without a user (kept by an older version) is nobody's: its kernel is
 * followed, and unset at the next sign-in change, but never given a token.
 */
function rememberedOf(value: unknown): RememberedKernel | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { id, gateway, user = '' } = value as Record<string, unknown>;
  const valid =
    typeof id === 'string' &&
    ID_SHAPE.test(id) &&
    typeof gateway === 'string' &&
    /^https?:\/\//.test(gateway) &&
    gateway.length <= 2048 &&
    typeof user === 'string' &&
    user.length <= 256;
  return valid ? { id, gateway, user } : undefined;
}

/** The record in `storage` (by default the tab's sessionStorage), oldest entry first. */
export class KernelRecord {
  /** `storage` answers the Storage to use, or null when there is none (nothing is kept then). */
  constructor(private readonly storage: () => Storage | null = tabStorage) {}

  /** The remembered kernels, oldest first (none when the storage is unavailable or garbled). */
  list(): RememberedKernel[] {
    let parsed: unknown;
    try {
      parsed = JSON.parse(this.storage()?.getItem(KERNEL_RECORD_KEY) ?? '[]');
    } catch {
      return [];
    }
    if (!Array.isArray(parsed)) return [];
    return parsed.flatMap((value: unknown) => rememberedOf(value) ?? []);
  }

  /** Remembers `id` as given the token of `user` at `gateway` (now the newest entry). */
  remember(id: string, gateway: string, user: string): void {
    const entry = rememberedOf({ id, gateway, user });
    if (!entry) return;
    this.write([...this.list().filter((k) => k.id !== id), entry]);
  }

  /** Forgets `id` (no longer holding a token, or no longer running). */
  forget(id: string): void {
    const kept = this.list();
    const rest = kept.filter((k) => k.id !== id);
    if (rest.length !== kept.length) this.write(rest);
  }

  /** Stores `entries`, keeping the newest KERNEL_RECORD_LIMIT; a full or refused storage keeps none. */
  private write(entries: readonly RememberedKernel[]): void {
    const storage = this.storage();
    try {
      if (entries.length === 0) storage?.removeItem(KERNEL_RECORD_KEY);
      else storage?.setItem(KERNEL_RECORD_KEY, JSON.stringify(entries.slice(-KERNEL_RECORD_LIMIT)));
    } catch {
      // Quota exceeded or storage refused: the kernels are still followed until the page reloads.
    }
  }
}
