/** Gateway clients whose view downloads wait until the test lets them finish (both hosts' SQL tests). */

/** What `slowDownloads` adds to a client. */
export interface SlowDownloads {
  /** Resolves once a download is waiting. */
  readonly waiting: Promise<void>;
  /** Lets the held downloads finish. */
  release(): void;
}

/** `client`, its view downloads held (after fetching) until `release` is called. */
export function slowDownloads<
  C extends { viewArrow(name: string, experiment: string): Promise<Uint8Array> },
>(client: C): C & SlowDownloads {
  let opened: () => void = () => undefined;
  let started: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (opened = resolve));
  const waiting = new Promise<void>((resolve) => (started = resolve));
  const fetch = client.viewArrow.bind(client);
  client.viewArrow = async (name: string, experiment: string): Promise<Uint8Array> => {
    const bytes = await fetch(name, experiment);
    started();
    await gate;
    return bytes;
  };
  return Object.assign(client, { waiting, release: () => opened() });
}
