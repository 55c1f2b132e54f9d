/**
 * Who is signed in to which gateway, in which experiment. The token lives only in VS Code's
 * SecretStorage (never in settings or files); the gateway URL is the `privet.gatewayUrl` setting;
 * the chosen experiment is workspace state. Listeners hear every change. A stored token is
 * restored at start, asynchronously (`restore()`); `whenRestored()` tells when that is done.
 */
import * as vscode from 'vscode';
import { GatewayClient, normalizeGatewayUrl } from './client/gateway.js';

/** SecretStorage key of the bearer token. */
const TOKEN_KEY = 'privet.token';
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

  /** Creates the session over the extension's secrets and workspace state. */
  constructor(private readonly context: vscode.ExtensionContext) {
    // Context keys for menus: `privet.inExperiment` shows "Export approved results".
    this.changed.event(() => this.updateContext());
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

  /** The configured gateway URL, normalized (throws a GatewayError with a fix when invalid). */
  gatewayUrl(): string {
    const raw = vscode.workspace.getConfiguration('privet').get<string>('gatewayUrl', '');
    return normalizeGatewayUrl(raw);
  }

  /**
   * Restores a stored token at start (silently stays signed out when it no longer works). A sign-in
   * or sign-out made while it runs wins: the restore then changes nothing.
   */
  async restore(): Promise<void> {
    const before = this.changes;
    try {
      const token = await this.context.secrets.get(TOKEN_KEY);
      if (!token) return;
      const signedIn = await this.connect(token);
      if (this.changes !== before) return;
      this.current = signedIn;
      this.changed.fire();
    } catch {
      // A stored token that no longer works: signed out, as before.
    } finally {
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
    const signedIn = await this.connect(token);
    this.changes++;
    await this.context.secrets.store(TOKEN_KEY, token.trim());
    this.current = signedIn;
    this.changed.fire();
    return signedIn;
  }

  /** The session `token` opens (checked with the gateway's whoami), not yet in use. */
  private async connect(token: string): Promise<SignedIn> {
    const client = new GatewayClient(this.gatewayUrl(), token.trim());
    const me = await client.whoami();
    const stored = this.context.workspaceState.get<string>(EXPERIMENT_KEY);
    return { client, user: me.user, roles: me.roles, experiment: stored };
  }

  /** Forgets the token and the client. */
  async signOut(): Promise<void> {
    this.changes++;
    await this.context.secrets.delete(TOKEN_KEY);
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
    this.changed.dispose();
  }
}
