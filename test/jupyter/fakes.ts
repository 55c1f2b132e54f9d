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

/** The parts of the address bar (window.location) the session and the sign-in link read. */
export interface TabLocation {
  origin: string;
  pathname: string;
  search: string;
  hash: string;
}

/**
 * Makes `window` (origin http://127.0.0.1:8888, sessionStorage, localStorage, location and
 * history) a global, as session.ts, client.ts and plugins/services.ts read it: call before they
 * load. Replace `storage` for a fresh tab, `browser` (localStorage, shared by the browser's tabs)
 * for a fresh browser; `open(url)` loads `url` in this tab (its address bar; the page's modules
 * are loaded again by the test), keeping the tab's sessionStorage as a reload does.
 */
export function fakeBrowserTab(): {
  storage: TabStorage;
  browser: TabStorage;
  location: TabLocation;
  open(url: string): void;
} {
  const location: TabLocation = {
    origin: 'http://127.0.0.1:8888',
    pathname: '/lab',
    search: '',
    hash: '',
  };
  /** Sets the address bar to `url` (relative to the origin). */
  const go = (url: string): void => {
    const parsed = new URL(url, location.origin);
    Object.assign(location, {
      pathname: parsed.pathname,
      search: parsed.search,
      hash: parsed.hash,
    });
  };
  const tab = { storage: new TabStorage(), browser: new TabStorage(), location, open: go };
  Object.assign(globalThis, {
    window: {
      location,
      history: {
        state: null,
        replaceState: (_state: unknown, _title: string, url: string) => go(url),
      },
      get sessionStorage() {
        return tab.storage;
      },
      get localStorage() {
        return tab.browser;
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
