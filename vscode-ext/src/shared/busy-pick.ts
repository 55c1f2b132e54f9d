/**
 * Quick picks whose list is read from the gateway: the pick opens at once, busy (VS Code's
 * spinner), titled as its command with "Loading …" as the placeholder, and fills in when the list
 * arrives. Why: a command that shows nothing while a slow gateway answers looks like it did
 * nothing. The input stays enabled while loading, so the user can type the filter ahead (it
 * applies once the items arrive) and Escape closes the pick. Escape while loading resolves
 * undefined at once and the list, or its failure, is ignored when it arrives (the user gave up);
 * a failed load closes the pick and rejects, so the caller's error notification says what failed.
 */
import * as vscode from 'vscode';

/** How the pick opens, before its list arrives. */
export interface BusyPickOptions {
  /** The command's title, e.g. "Privet: Select Experiment". */
  title: string;
  /** The placeholder while the list loads, e.g. "Loading experiments…". */
  loadingPlaceholder: string;
  matchOnDescription?: boolean;
  matchOnDetail?: boolean;
  ignoreFocusOut?: boolean;
}

/** What the pick shows once its list has arrived. */
export interface LoadedPick<T extends vscode.QuickPickItem> {
  items: readonly T[];
  /** The question the pick asks, e.g. "Experiment your cells run in". */
  placeholder: string;
  /** A title that replaces the loading one (e.g. with what the list says); else it stays. */
  title?: string;
}

/**
 * Opens a busy pick (`options`), runs `load`, and shows what `present` makes of its result; returns
 * the item picked, or undefined when dismissed. `present` returns undefined when there is nothing to
 * pick (it says why, e.g. with a notification): the pick then closes. Rejects, with the pick
 * closed, when `load` or `present` fails before the user dismissed the pick.
 */
export function pickWhileLoading<L, T extends vscode.QuickPickItem>(
  options: BusyPickOptions,
  load: () => Promise<L>,
  present: (loaded: L) => LoadedPick<T> | undefined,
): Promise<T | undefined> {
  return new Promise<T | undefined>((resolve, reject) => {
    const pick = vscode.window.createQuickPick<T>();
    pick.title = options.title;
    pick.placeholder = options.loadingPlaceholder;
    pick.matchOnDescription = options.matchOnDescription ?? false;
    pick.matchOnDetail = options.matchOnDetail ?? false;
    pick.ignoreFocusOut = options.ignoreFocusOut ?? false;
    pick.busy = true;
    let settled = false;
    /** Settles once: later accepts, hides and load results change nothing. */
    const finish = (settle: () => void): void => {
      if (settled) return;
      settled = true;
      for (const subscription of subscriptions) subscription.dispose();
      pick.dispose(); // hides it when still shown
      settle();
    };
    const subscriptions = [
      pick.onDidAccept(() => {
        // Enter while loading (nothing listed yet) picks nothing: the pick stays open.
        const item = pick.selectedItems[0] ?? pick.activeItems[0];
        if (item) finish(() => resolve(item));
      }),
      // Escape, a click elsewhere (unless ignoreFocusOut) or another quick input taking its place.
      pick.onDidHide(() => finish(() => resolve(undefined))),
    ];
    pick.show();
    new Promise<L>((loaded) => loaded(load()))
      .then((loaded) => {
        if (settled) return;
        const shown = present(loaded);
        if (!shown) return finish(() => resolve(undefined));
        pick.items = shown.items;
        pick.placeholder = shown.placeholder;
        if (shown.title !== undefined) pick.title = shown.title;
        pick.busy = false;
      })
      .catch((error: unknown) => finish(() => reject(error)));
  });
}
