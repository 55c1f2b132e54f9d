/**
 * The running kernels as KernelTokens.reattach() (kernel-token.ts) finds them after a page reload.
 * Why the Jupyter server's own list and not the kernel manager's running(): the manager's poll
 * swallows a failed listing (refreshRunning() resolves anyway) and running() then answers the
 * last list it got, none at start, as if every kernel had stopped; the remembered kernels would
 * be dropped while they still hold the token. Why warnings and no errors: this runs at JupyterLab
 * start, which must not fail because the Jupyter server is unreachable; the user is told once what
 * happened and how to fix it.
 */
import { KernelAPI, type Kernel } from '@jupyterlab/services';
import type { TokenKernel } from './kernel-token.js';

/** Where reattach() finds the running kernels and connects to them. */
export interface RunningKernels {
  /** The running kernels as the Jupyter server lists them now; rejects when it cannot. */
  listRunning(): Promise<Iterable<Kernel.IModel>>;
  /** Opens another connection to a running kernel. */
  connectTo(options: { model: Kernel.IModel; handleComms: boolean }): TokenKernel;
}

/** The RunningKernels of JupyterLab's kernel manager (app.serviceManager.kernels). */
export function runningKernelsOf(
  manager: Pick<Kernel.IManager, 'serverSettings' | 'connectTo'>,
): RunningKernels {
  const client = new KernelAPI.KernelAPIClient({ serverSettings: manager.serverSettings });
  return {
    listRunning: () => client.listRunning(),
    connectTo: (options) => manager.connectTo(options),
  };
}

/**
 * The running kernels by id; null (after one warning) when they cannot be listed, `remembered`
 * being how many kernels of this tab were given the token before the reload.
 */
export async function listRunning(
  kernels: RunningKernels,
  remembered: number,
): Promise<Map<string, Kernel.IModel> | null> {
  try {
    return new Map([...(await kernels.listRunning())].map((model) => [model.id, model]));
  } catch (error) {
    console.warn(
      `Privet: could not list the running notebook kernels (${messageOf(error)}), so the ` +
        `${remembered} kernel(s) this tab gave the gateway token before the page was reloaded ` +
        'do not follow the sign-in: signing out may leave the token in them. Fix: reload the ' +
        'page once the Jupyter server is reachable, or restart those kernels.',
    );
    return null;
  }
}

/**
 * Opens a connection to the running kernel `model`, without handling its comms (the notebook's
 * own connection does, for ipywidgets); null when it cannot, `failed` then noting why.
 */
export function connectTo(
  kernels: RunningKernels,
  model: Kernel.IModel,
  failed: string[],
): TokenKernel | null {
  try {
    return kernels.connectTo({ model, handleComms: false });
  } catch (error) {
    failed.push(`${model.id} (${messageOf(error)})`);
    return null;
  }
}

/** Warns once about the kernels connectTo() could not reach (none: no warning). */
export function warnUnreached(failed: readonly string[]): void {
  if (failed.length === 0) return;
  console.warn(
    `Privet: could not reconnect to the notebook kernel(s) ${failed.join(', ')} given the ` +
      'gateway token before the page was reloaded: signing out may leave the token in them. ' +
      'Fix: reload the page, or restart those kernels.',
  );
}

/** The message of a caught error. */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
