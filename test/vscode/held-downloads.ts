/**
 * Gateway clients whose view downloads, once fetched, wait until the test lets them finish or the
 * caller's signal aborts them (as a real download ends on Stop); test/slow-client.ts's downloads
 * ignore the signal instead.
 */

/** What `heldDownloads` adds to a client. */
export interface HeldDownloads {
  /** Resolves once a download is waiting. */
  readonly waiting: Promise<void>;
  /** The signal each download was given, in call order (undefined: none). */
  readonly signals: (AbortSignal | undefined)[];
  /** How many downloads completed (reached the caller with their bytes). */
  completed(): number;
  /** Lets the held downloads finish. */
  release(): void;
}

/** A view download as the cell runner calls it. */
type ViewArrow = (
  name: string,
  experiment: string,
  options?: { signal?: AbortSignal },
) => Promise<Uint8Array>;

/** Waits for `gate`, or rejects with the signal's reason as soon as `signal` aborts. */
function gateOrAbort(gate: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const stop = (): void =>
      reject(signal?.reason instanceof Error ? signal.reason : new Error('download aborted'));
    if (signal?.aborted) return stop();
    signal?.addEventListener('abort', stop, { once: true });
    void gate.then(() => {
      signal?.removeEventListener('abort', stop);
      resolve();
    });
  });
}

/** `client`, its view downloads held (after fetching) until `release`, or until their signal aborts. */
export function heldDownloads<C extends { viewArrow: ViewArrow }>(client: C): C & HeldDownloads {
  let opened: () => void = () => undefined;
  let started: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (opened = resolve));
  const waiting = new Promise<void>((resolve) => (started = resolve));
  const signals: (AbortSignal | undefined)[] = [];
  let completed = 0;
  const fetch = client.viewArrow.bind(client);
  client.viewArrow = async (name, experiment, options = {}) => {
    signals.push(options.signal);
    const bytes = await fetch(name, experiment, options);
    started();
    await gateOrAbort(gate, options.signal);
    completed += 1;
    return bytes;
  };
  return Object.assign(client, {
    waiting,
    signals,
    completed: () => completed,
    release: () => opened(),
  });
}
