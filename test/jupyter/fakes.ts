/**
 * Fakes shared by the JupyterLab tests: the browser tab (window with its sessionStorage), and the session and
 * experiment selection as the output gate reads them (IPrivetServices), with setters that signal.
 */
import { Signal } from '@lumino/signaling';

/** A Map-backed Storage: the sessionStorage of one browser tab. */
export class TabStorage {
  private readonly items = new Map<string, string>();
  /** Storage.getItem. */
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  /** Storage.setItem. */
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  /** Storage.removeItem. */
  removeItem(key: string): void {
    this.items.delete(key);
  }
  /** Every value kept, to check which tokens the tab holds. */
  values(): string[] {
    return [...this.items.values()];
  }
  /** Every key kept, to tell what each value is for. */
  keys(): string[] {
    return [...this.items.keys()];
  }
}

/**
 * Makes `window` (origin http://127.0.0.1:8888, sessionStorage) a global, as session.ts and
 * client.ts read it: call before they load. Replace `storage` for a fresh tab.
 */
export function fakeBrowserTab(): { storage: TabStorage } {
  const tab = { storage: new TabStorage() };
  Object.assign(globalThis, {
    window: {
      location: { origin: 'http://127.0.0.1:8888' },
      get sessionStorage() {
        return tab.storage;
      },
    },
  });
  return tab;
}

/**
 * Session and experiment selection as the gate reads them: signed in with `client` (null: signed
 * out) in `experiment` (null: none selected), as `user` (GET /whoami's answer) when given; signIn
 * and select change them and signal.
 */
export function fakeGateServices<C>(client: C | null, experiment: string | null, user?: object) {
  const sessionChanged = new Signal<object, unknown>({});
  const contextChanged = new Signal<object, unknown>({});
  const session = (next: C, as?: object) => ({ client: next, ...(as ? { user: as } : {}) });
  let signedIn: { client: C; user?: object } | null =
    client === null ? null : session(client, user);
  let selected = experiment === null ? null : { id: experiment };
  const services = {
    session: {
      get signedIn() {
        return signedIn;
      },
      changed: sessionChanged,
    },
    context: {
      get selected() {
        return selected;
      },
      changed: contextChanged,
    },
  };
  return {
    services,
    signIn(next: C | null, as?: object): void {
      signedIn = next === null ? null : session(next, as);
      sessionChanged.emit(signedIn);
    },
    select(id: string | null): void {
      selected = id === null ? null : { id };
      contextChanged.emit(selected);
    },
  };
}
