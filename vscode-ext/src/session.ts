/**
 * Who is signed in to which gateway, in which experiment. The token lives only in VS Code's
 * SecretStorage (never in settings or files), stored for the gateway it was issued by: it is only
 * ever sent there. The gateway URL is the `privet.gatewayUrl` user setting (a workspace's value
 * is ignored, so a cloned repository cannot point it elsewhere); when it changes, the session signs out and restores the
 * token stored for the new gateway, if any. The chosen experiment is workspace state. Listeners
 * hear every change. A stored token is restored at start, asynchronously (`restore()`);
 * `whenRestored()` tells when that is done.
 */
import * as vscode from 'vscode';
import { errorText } from './client/error-text.js';
import { GatewayClient, normalizeGatewayUrl } from './client/gateway.js';

/** SecretStorage key of the bearer token issued by the gateway at `gatewayUrl` (normalized). */
export function tokenKey(gatewayUrl: string): string {
  return `privet.token:${gatewayUrl}`;
}
/** Where tokens were kept before they were bound to a gateway; removed, never sent anywhere. */
const UNBOUND_TOKEN_KEY = 'privet.token';
/** Workspace-state key of the current experiment id. */
const EXPERIMENT_KEY = 'privet.experiment';

/** A signed-in user's client and identity. */
export interface SignedIn {
  client: GatewayClient;
  user: string;
  roles: readonly string[];
  experiment: string | undefined;
}

/** The extension's session: token, gateway client, current experiment. */
export class Session implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after sign-in, sign-out, experiment or setting changes. */
  readonly onDidChange = this.changed.event;
  private current: SignedIn | undefined;
  /** Counts sign-ins and sign-outs: the start-up restore yields to one made while it ran. */
  private changes = 0;
  private restoreSettled: () => void = () => undefined;
  private readonly restored = new Promise<void>((resolve) => (this.restoreSettled = resolve));
  /** Listens for changes of the gateway setting. */
  private readonly watcher: vscode.Disposable;
  /** The gateway URL configured when last looked at (a setting change to the same URL is none). */
  private url: string | undefined;
  /** The restore that follows the latest change of the gateway setting, while it runs. */
  private switching: Promise<void> = Promise.resolve();

  /** Creates the session over the extension's secrets and workspace state. */
  constructor(
    private readonly context: vscode.ExtensionContext,
    /** Where the session says what it did (never a token). */
    private readonly log: (message: string) => void = () => undefined,
  ) {
    // Context keys for menus: `privet.inExperiment` shows "Export approved results".
    this.changed.event(() => this.updateContext());
    this.url = this.configuredUrl();
    const inspected = vscode.workspace.getConfiguration('privet').inspect<string>('gatewayUrl');
    if (inspected?.workspaceValue !== undefined || inspected?.workspaceFolderValue !== undefined)
      this.log('this workspace sets privet.gatewayUrl: ignored, only your user settings count');
    this.watcher = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('privet.gatewayUrl')) this.switching = this.gatewayChanged();
    });
  }

  /** The gateway URL configured, or undefined when the setting is not a valid URL. */
  private configuredUrl(): string | undefined {
    try {
      return this.gatewayUrl();
    } catch {
      return undefined;
    }
  }

  /** The gateway setting changed: the token in use belongs to the old one, so sign out of it. */
  private async gatewayChanged(): Promise<void> {
    // VS Code also reports the setting as changed when settings files load; only a new URL counts.
    const url = this.configuredUrl();
    if (url === this.url) return;
    this.log(
      `the gateway setting changed to ${url ?? 'an invalid URL'}: signed out of ${this.url}`,
    );
    this.url = url;
    const change = ++this.changes;
    if (this.current) {
      this.current = undefined;
      this.changed.fire();
    }
    const signedIn = await this.storedSession().catch(() => undefined);
    if (signedIn && this.changes === change) {
      this.current = signedIn;
      this.changed.fire();
    }
  }

  /** Removes a token stored before tokens were bound to a gateway (best effort). */
  private async forgetUnboundToken(): Promise<void> {
    try {
      if (await this.context.secrets.get(UNBOUND_TOKEN_KEY))
        await this.context.secrets.delete(UNBOUND_TOKEN_KEY);
    } catch {
      // Secret storage unavailable: the old token is never read, so it is never sent anywhere.
    }
  }

  /** The session the token stored for the configured gateway opens, if any. */
  private async storedSession(): Promise<SignedIn | undefined> {
    await this.forgetUnboundToken();
    const url = this.gatewayUrl();
    const token = await this.context.secrets.get(tokenKey(url));
    return token ? this.connect(token, url) : undefined;
  }

  private updateContext(): void {
    const c = this.current;
    void vscode.commands.executeCommand('setContext', 'privet.signedIn', c !== undefined);
    void vscode.commands.executeCommand('setContext', 'privet.inExperiment', !!c?.experiment);
    void vscode.commands.executeCommand(
      'setContext',
      'privet.steward',
      c?.roles.includes('steward') ?? false,
    );
    void vscode.commands.executeCommand(
      'setContext',
      'privet.reviewer',
      c?.roles.includes('reviewer') ?? false,
    );
  }

  /** The signed-in state, or undefined. */
  get signedIn(): SignedIn | undefined {
    return this.current;
  }

  /**
   * The gateway URL of the user settings (or the default), normalized; throws a GatewayError with
   * a fix when invalid. A workspace's value is ignored: a cloned repository must not be able to
   * send the user's token elsewhere.
   */
  gatewayUrl(): string {
    const inspected = vscode.workspace.getConfiguration('privet').inspect<string>('gatewayUrl');
    return normalizeGatewayUrl(inspected?.globalValue ?? inspected?.defaultValue ?? '');
  }

  /**
   * Restores a stored token at start (silently stays signed out when it no longer works). A sign-in
   * or sign-out made while it runs wins: the restore then changes nothing.
   */
  async restore(): Promise<void> {
    const before = this.changes;
    try {
      const signedIn = await this.storedSession();
      if (!signedIn) this.log(`no token is stored for ${this.configuredUrl() ?? 'the gateway'}`);
      if (!signedIn || this.changes !== before) return;
      this.log(`signed in to ${signedIn.client.baseUrl} as ${signedIn.user} (stored token)`);
      this.current = signedIn;
      this.changed.fire();
    } catch (error) {
      // A stored token that no longer works: signed out, as before.
      this.log(`the stored token was not restored (${errorText(error)})`);
    } finally {
      // A gateway setting that changed meanwhile (settings loading late) restores its own token.
      await this.switching;
      this.restoreSettled();
    }
  }

  /**
   * Resolves once the start-up `restore()` is done (signed in with the stored token, or not);
   * callers bound their wait, as it never resolves when `restore()` is not called.
   */
  whenRestored(): Promise<void> {
    return this.restored;
  }

  /** Resolves once the start-up restore is done, or after `ms`, whichever comes first. */
  async restoredWithin(ms: number): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([this.restored, new Promise((r) => (timer = setTimeout(r, ms)))]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Checks the token with the gateway, stores it in SecretStorage, and signs in. */
  async signIn(token: string): Promise<SignedIn> {
    const signedIn = await this.connect(token, this.gatewayUrl());
    this.changes++;
    await this.context.secrets.store(tokenKey(signedIn.client.baseUrl), token.trim());
    this.current = signedIn;
    this.changed.fire();
    return signedIn;
  }

  /** The session `token` opens (checked with the gateway's whoami), not yet in use. */
  private async connect(token: string, gatewayUrl: string): Promise<SignedIn> {
    const client = new GatewayClient(gatewayUrl, token.trim());
    const me = await client.whoami();
    const stored = this.context.workspaceState.get<string>(EXPERIMENT_KEY);
    return { client, user: me.user, roles: me.roles, experiment: stored };
  }

  /** Forgets the token and the client. */
  async signOut(): Promise<void> {
    this.changes++;
    const gateway = this.current?.client.baseUrl ?? this.configuredUrl();
    if (gateway) await this.context.secrets.delete(tokenKey(gateway));
    this.current = undefined;
    this.changed.fire();
  }

  /** Sets the experiment cells run in. */
  async useExperiment(id: string): Promise<void> {
    await this.context.workspaceState.update(EXPERIMENT_KEY, id);
    if (this.current) this.current = { ...this.current, experiment: id };
    this.changed.fire();
  }

  /** Tells listeners something changed (e.g. budget spent). */
  refresh(): void {
    this.changed.fire();
  }

  /** Releases the event emitter. */
  dispose(): void {
    this.watcher.dispose();
    this.changed.dispose();
  }
}
