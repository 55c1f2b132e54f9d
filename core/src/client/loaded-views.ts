// Why: both notebook hosts keep the views they fetched in a local DuckDB. The gateway checked the
// caller and the experiment when it sent each one, so a view must not outlive either: rows loaded
// for one sign-in or experiment are dropped before another can query them (and fetched again,
// which the gateway records).

/** The views a local engine holds, and the sign-in and experiment they were fetched for. */
export class LoadedViews {
  private readonly names = new Set<string>();
  private owner: { client: object; experiment: string } | undefined;

  /** Names of the views loaded for the current owner. */
  get loaded(): ReadonlySet<string> {
    return this.names;
  }

  /**
   * Makes `client` (one sign-in) and `experiment` the owner of the views loaded from now on,
   * first dropping (with `drop`) every view loaded for a previous owner. If a drop fails, the
   * views not yet dropped are kept and the owner stays unset, so the next call tries again.
   */
  async enter(
    client: object,
    experiment: string,
    drop: (name: string) => Promise<unknown> | unknown,
  ): Promise<void> {
    const o = this.owner;
    if (o && o.client === client && o.experiment === experiment) return;
    this.owner = undefined;
    for (const name of [...this.names]) {
      await drop(name);
      this.names.delete(name);
    }
    this.owner = { client, experiment };
  }

  /** Forgets every view (the engine's database was discarded, e.g. its worker was stopped). */
  clear(): void {
    this.names.clear();
  }

  /** Records that `name` was loaded for the current owner. */
  add(name: string): void {
    this.names.add(name);
  }
}
