/**
 * Who is signed in to which gateway, in which experiment. The token lives only in VS Code's
 * SecretStorage (never in settings or files), stored for the gateway it was issued by: it is only
 * ever sent there. The gateway URL is the `privet.gatewayUrl` user setting (a workspace's value
 * is ignored, so a cloned repository cannot point it elsewhere); when it changes, the session signs out and restores the
 * token stored for the new gateway, if any. The chosen experiment is workspace state. Listeners
 * hear every change. A stored token is restored at start, asynchronously (`restore()`; a gateway
 * that cannot be reached is reported with Retry); `whenRestored()` tells when that is done. A
 * sign-in keeps the review settings of the gateway's policy (whoami's `exportRules`), which the
 * display checks use.
 * Context keys for menus and the welcome view: `privet.signedIn`, `privet.inExperiment`,
 * `privet.steward`, `privet.reviewer`, `privet.tokenStored` (and `privet.tokenChecked` once that is
 * known), `privet.restoring` while a stored token is being checked with the gateway.
 */
import * as vscode from 'vscode';
import { errorText } from './client/error-text.js';
import { GatewayClient, GatewayError, normalizeGatewayUrl } from './client/gateway.js';
import { exportRulesOf, type DisplayRules } from '@privet/core';

/** SecretStorage key of the bearer token issued by the gateway at `gatewayUrl` (normalized). */
export function tokenKey(gatewayUrl: string): string {
  return `privet.token:${gatewayUrl}`;
}
/** Where tokens were kept before they were bound to a gateway; removed, never sent anywhere. */
const UNBOUND_TOKEN_KEY = 'privet.token';
/** Workspace-state key of the current experiment id. */
const EXPERIMENT_KEY = 'privet.experiment';
/** The button of the "gateway unreachable" warning that tries the restore again. */
export const RETRY = 'Retry';
/** The button of the "gateway unreachable" warning that opens the gateway setting. */
export const OPEN_SETTINGS = 'Open Settings';

/** What a `restore()` did: signed in, found no token, failed, or yielded to a sign-in or sign-out made meanwhile. */
export type RestoreOutcome =
  | { kind: 'restored'; user: string }
  | { kind: 'noToken' }
  | { kind: 'failed'; error: unknown }
  | { kind: 'superseded' };

/** A signed-in user's client and identity. */
export interface SignedIn {
  client: GatewayClient;
  user: string;
  roles: readonly string[];
  experiment: string | undefined;
  /** The review settings of the gateway's policy (whoami); undefined: core's defaults. */
  exportRules?: DisplayRules;
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
  /** How many restores are checking a stored token with the gateway (`privet.restoring`). */
  private restoring = 0;

  /** Creates the session over the extension's secrets and workspace state. */
  constructor(
    private readonly context: vscode.ExtensionContext,
    /** Where the session says what it did (never a token). */
    private readonly log: (message: string) => void = () => undefined,
  ) {
    // Context keys for menus: `privet.inExperiment` shows "Export Approved Results".
    this.changed.event(() => this.updateContext());
    this.url = this.configuredUrl();
    // Until this is known (and before activation), "Sign Out" is listed: there may be a token.
    void this.noteStoredToken().then(() =>
      vscode.commands.executeCommand('setContext', 'privet.tokenChecked', true),
    );
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
    void this.noteStoredToken();
    const change = ++this.changes;
    if (this.current) {
      this.current = undefined;
      this.changed.fire();
    }
    const restoring = { found: false };
    try {
      const signedIn = await this.storedSession(restoring).catch(() => undefined);
      if (signedIn && this.changes === change) {
        this.current = signedIn;
        this.changed.fire();
      }
    } finally {
      if (restoring.found) this.noteRestoring(-1);
    }
  }

  /** Counts a restore checking a stored token in (+1) or out (-1), and sets `privet.restoring`. */
  private noteRestoring(delta: 1 | -1): void {
    this.restoring += delta;
    void vscode.commands.executeCommand('setContext', 'privet.restoring', this.restoring > 0);
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

  /**
   * The session the token stored for the configured gateway opens, if any. When there is one,
   * `restoring.found` is set and `privet.restoring` counted in: the caller counts it out once the
   * session is in use (so the welcome view never offers Sign In in between).
   */
  private async storedSession(restoring: { found: boolean }): Promise<SignedIn | undefined> {
    await this.forgetUnboundToken();
    const url = this.gatewayUrl();
    const token = await this.context.secrets.get(tokenKey(url));
    if (!token) return undefined;
    restoring.found = true;
    this.noteRestoring(1);
    return this.connect(token, url);
  }

  /** True when a token is stored for the configured gateway (false when that cannot be read). */
  async hasStoredToken(): Promise<boolean> {
    try {
      const url = this.configuredUrl();
      return url !== undefined && !!(await this.context.secrets.get(tokenKey(url)));
    } catch {
      // Secret storage unavailable: nothing can be forgotten either.
      return false;
    }
  }

  /**
   * Sets `privet.tokenStored`: a token is kept for the configured gateway. "Sign Out" is offered
   * then even while signed out (the gateway was down at start), to forget it.
   */
  private async noteStoredToken(): Promise<void> {
    const stored = await this.hasStoredToken();
    await vscode.commands.executeCommand('setContext', 'privet.tokenStored', stored);
  }

  private updateContext(): void {
    void this.noteStoredToken();
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
   * Restores a stored token at start (stays signed out when it no longer works; when the gateway
   * cannot be reached, a warning offers Retry and Open Settings). A sign-in or sign-out made while
   * it runs wins: the restore then changes nothing. Returns what it did.
   */
  async restore(): Promise<RestoreOutcome> {
    const before = this.changes;
    const restoring = { found: false };
    try {
      const signedIn = await this.storedSession(restoring);
      if (!signedIn) {
        this.log(`no token is stored for ${this.configuredUrl() ?? 'the gateway'}`);
        return { kind: 'noToken' };
      }
      if (this.changes !== before) return { kind: 'superseded' };
      this.log(`signed in to ${signedIn.client.baseUrl} as ${signedIn.user} (stored token)`);
      this.current = signedIn;
      this.changed.fire();
      return { kind: 'restored', user: signedIn.user };
    } catch (error) {
      // A stored token that no longer works: signed out, as before.
      this.log(`the stored token was not restored (${errorText(error)})`);
      if (this.changes !== before) return { kind: 'superseded' };
      // A gateway that is down (not started yet, wrong URL): say so, or the user only sees
      // "signed out" and signs in again, which fails the same way.
      if (error instanceof GatewayError && error.code === 'unreachable')
        void this.warnUnreachable();
      return { kind: 'failed', error };
    } finally {
      if (restoring.found) this.noteRestoring(-1);
      // A gateway setting that changed meanwhile (settings loading late) restores its own token.
      await this.switching;
      this.restoreSettled();
    }
  }

  /**
   * Warns that the gateway could not be reached at start; Retry restores (and says what came of
   * it), Open Settings opens the URL setting.
   */
  private async warnUnreachable(): Promise<void> {
    const url = this.configuredUrl() ?? 'the configured URL';
    const choice = await vscode.window.showWarningMessage(
      `Privet gateway at ${url} unreachable: your saved sign-in was not restored. Fix: start the gateway (npm start) or correct the user setting privet.gatewayUrl, then Retry.`,
      RETRY,
      OPEN_SETTINGS,
    );
    if (choice === RETRY) await this.retryRestore();
    else if (choice === OPEN_SETTINGS)
      await vscode.commands.executeCommand('workbench.action.openSettings', 'privet.gatewayUrl');
  }

  /** Retry of the warning: restores the saved sign-in, unless the user signed in or out meanwhile, and says which. */
  private async retryRestore(): Promise<void> {
    const already = this.current;
    if (already) {
      void vscode.window.showInformationMessage(
        `Privet: already signed in as ${already.user}: nothing to restore.`,
      );
      return;
    }
    const outcome = await this.restore();
    const now = this.current;
    if (outcome.kind === 'restored')
      void vscode.window.showInformationMessage(
        `Privet: signed in as ${outcome.user} (saved sign-in restored).`,
      );
    else if (outcome.kind === 'superseded' && now)
      void vscode.window.showInformationMessage(
        `Privet: signed in as ${now.user} (you signed in while the saved sign-in was being restored; it was not used).`,
      );
    else if (outcome.kind === 'superseded' || outcome.kind === 'noToken')
      void vscode.window.showInformationMessage(
        `Privet: no saved sign-in is left to restore for ${this.configuredUrl() ?? 'the configured gateway'} (signing out forgets it). Fix: run "Privet: Sign In" to sign in again.`,
      );
    // Unreachable again is warned about again; any other failure is said once here.
    else if (!(outcome.error instanceof GatewayError && outcome.error.code === 'unreachable'))
      void vscode.window.showWarningMessage(
        `Privet: your saved sign-in was not restored: ${errorText(outcome.error)}. Run "Privet: Sign In" with a new token if it no longer works.`,
      );
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
    const exportRules = exportRulesOf(me);
    if (!exportRules)
      this.log(
        `${gatewayUrl} sent no valid review settings: outputs are checked with the defaults`,
      );
    return {
      client,
      user: me.user,
      roles: me.roles,
      experiment: stored,
      ...(exportRules ? { exportRules } : {}),
    };
  }

  /**
   * Forgets the token and the client; false when there was nothing to sign out of (signed out,
   * and no token stored for the configured gateway).
   */
  async signOut(): Promise<boolean> {
    const had = this.current !== undefined || (await this.hasStoredToken());
    this.changes++;
    const gateway = this.current?.client.baseUrl ?? this.configuredUrl();
    if (gateway) await this.context.secrets.delete(tokenKey(gateway));
    this.current = undefined;
    this.changed.fire();
    return had;
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
