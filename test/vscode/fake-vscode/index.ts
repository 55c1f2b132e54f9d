/**
 * The part of VS Code's extension API the output gate uses, in memory, for Node tests (loaded for
 * `'vscode'` by loader.mjs; see register.ts). Notebooks are plain objects the test adds to
 * `workspace.notebookDocuments`; `applyEdit` replaces cells as VS Code does (new cell objects, the
 * old ones leave the notebook) and fires the change event with the added cells. Messages shown
 * to the user are recorded in `shownMessages` (with their buttons in `shownMessageDetails`; tests
 * answer them through `messageAnswer`), commands run in `executedCommands`, progress notifications
 * in `shownProgress`, files written in `files`, quick picks made with createQuickPick in
 * `createdQuickPicks`.
 */
type Listener<T> = (event: T) => unknown;

/** VS Code's EventEmitter. */
export class EventEmitter<T> {
  private readonly listeners = new Set<Listener<T>>();
  /** Subscribes a listener. */
  readonly event = (listener: Listener<T>): { dispose(): void } => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  /** Calls every listener. */
  fire(event: T): void {
    for (const l of [...this.listeners]) l(event);
  }
  /** Drops every listener. */
  dispose(): void {
    this.listeners.clear();
  }
}

/** One item of a cell output. */
export class NotebookCellOutputItem {
  constructor(
    readonly data: Uint8Array,
    readonly mime: string,
  ) {}
  /** A text item. */
  static text(value: string, mime = 'text/plain'): NotebookCellOutputItem {
    return new NotebookCellOutputItem(new TextEncoder().encode(value), mime);
  }
  /** A JSON item. */
  static json(value: unknown, mime = 'text/x-json'): NotebookCellOutputItem {
    return NotebookCellOutputItem.text(JSON.stringify(value), mime);
  }
  /** A stdout item. */
  static stdout(value: string): NotebookCellOutputItem {
    return NotebookCellOutputItem.text(value, 'application/vnd.code.notebook.stdout');
  }
  /** A stderr item. */
  static stderr(value: string): NotebookCellOutputItem {
    return NotebookCellOutputItem.text(value, 'application/vnd.code.notebook.stderr');
  }
  /** An error item. */
  static error(e: { name: string; message: string; stack?: string }): NotebookCellOutputItem {
    return NotebookCellOutputItem.json(e, 'application/vnd.code.notebook.error');
  }
}

/** A cell output. */
export class NotebookCellOutput {
  constructor(
    readonly items: NotebookCellOutputItem[],
    readonly metadata?: Record<string, unknown>,
  ) {}
}

/** Cell data for an edit. */
export class NotebookCellData {
  outputs: NotebookCellOutput[] = [];
  metadata: Record<string, unknown> = {};
  executionSummary?: unknown;
  constructor(
    readonly kind: number,
    readonly value: string,
    readonly languageId: string,
  ) {}
}

/** A range of cell indices. */
export class NotebookRange {
  constructor(
    readonly start: number,
    readonly end: number,
  ) {}
}

/** A notebook edit (only cell replacement). */
export class NotebookEdit {
  constructor(
    readonly range: NotebookRange,
    readonly newCells: NotebookCellData[],
  ) {}
  /** Replaces the cells in `range` by `cells`. */
  static replaceCells(range: NotebookRange, cells: NotebookCellData[]): NotebookEdit {
    return new NotebookEdit(range, cells);
  }
}

/** A workspace edit: notebook edits by URI. */
export class WorkspaceEdit {
  readonly edits = new Map<string, NotebookEdit[]>();
  /** Sets the edits of one document. */
  set(uri: { toString(): string }, edits: NotebookEdit[]): void {
    this.edits.set(uri.toString(), edits);
  }
}

let cellCount = 0;

/** A cell of a FakeNotebook. */
export class FakeCell {
  outputs: NotebookCellOutput[];
  metadata: Record<string, unknown> = {};
  executionSummary?: unknown;
  readonly kind = 2;
  readonly document: {
    uri: { toString(): string };
    languageId: string;
    getText(): string;
  };
  constructor(
    readonly notebook: FakeNotebook,
    source: string,
    outputs: NotebookCellOutput[] = [],
  ) {
    this.outputs = outputs;
    const uri = `${notebook.uri.toString()}#cell-${++cellCount}`;
    this.document = { uri: { toString: () => uri }, languageId: 'python', getText: () => source };
  }
  /** Its position in the notebook, -1 once replaced or removed. */
  get index(): number {
    return this.notebook.cells.indexOf(this);
  }
}

/** A notebook as the gate reads it. */
export class FakeNotebook {
  readonly cells: FakeCell[] = [];
  notebookType = 'jupyter-notebook';
  isDirty = true;
  isUntitled = false;
  isClosed = false;
  readonly uri: { toString(): string };
  constructor(name: string) {
    this.uri = { toString: () => `file:///${name}.ipynb` };
  }
  /** Every cell. */
  getCells(): FakeCell[] {
    return [...this.cells];
  }
  /** Adds a cell with this source. */
  addCell(source: string): FakeCell {
    const cell = new FakeCell(this, source);
    this.cells.push(cell);
    return cell;
  }
}

const opened = new EventEmitter<FakeNotebook>();
const changed = new EventEmitter<{
  notebook: FakeNotebook;
  contentChanges: { addedCells: FakeCell[] }[];
  cellChanges: { cell: FakeCell; outputs?: NotebookCellOutput[] }[];
}>();
const willSave = new EventEmitter<unknown>();

/** Messages shown with window.show*Message, in order. */
export const shownMessages: string[] = [];

/** Writes a cell's outputs as a kernel does (the document changes, listeners hear it). */
export function writeOutputs(cell: FakeCell, outputs: NotebookCellOutput[]): void {
  cell.outputs = outputs;
  changed.fire({ notebook: cell.notebook, contentChanges: [], cellChanges: [{ cell, outputs }] });
}

/** Opens a notebook whose cells already hold outputs, as opening its file does (listeners hear it). */
export function openNotebook(notebook: FakeNotebook): void {
  workspace.notebookDocuments.push(notebook);
  opened.fire(notebook);
}

/** User settings by full key (`privet.gatewayUrl`); change them with `setSetting`. */
export const settings = new Map<string, unknown>();
/** Workspace settings by full key (.vscode/settings.json): they win over user settings in `get`. */
export const workspaceSettings = new Map<string, unknown>();
const configurationChanged = new EventEmitter<{ affectsConfiguration(key: string): boolean }>();

/** Changes a setting and fires onDidChangeConfiguration, as editing settings.json does. */
export function setSetting(key: string, value: unknown): void {
  settings.set(key, value);
  configurationChanged.fire({
    affectsConfiguration: (section: string) => key === section || key.startsWith(`${section}.`),
  });
}

/** Files the code under test wrote through workspace.fs, by URI text. */
export const files = new Map<string, Uint8Array>();

/** The workspace namespace. */
export const workspace = {
  notebookDocuments: [] as FakeNotebook[],
  onDidChangeConfiguration: configurationChanged.event,
  getConfiguration(section: string): {
    get<T>(key: string, fallback: T): T;
    inspect<T>(key: string): { globalValue?: T; workspaceValue?: T; workspaceFolderValue?: T };
  } {
    const full = (key: string): string => `${section}.${key}`;
    return {
      get: <T>(key: string, fallback: T): T =>
        (workspaceSettings.has(full(key))
          ? workspaceSettings.get(full(key))
          : settings.has(full(key))
            ? settings.get(full(key))
            : fallback) as T,
      inspect: <T>(key: string) => ({
        globalValue: settings.get(full(key)) as T | undefined,
        workspaceValue: workspaceSettings.get(full(key)) as T | undefined,
      }),
    };
  },
  /** The path shown for a URI (its text). */
  asRelativePath(uri: { toString(): string }): string {
    return uri.toString();
  },
  /** Files written, renamed and deleted, by URI text (see `files`). */
  fs: {
    writeFile(uri: { toString(): string }, bytes: Uint8Array): Promise<void> {
      files.set(uri.toString(), bytes);
      return Promise.resolve();
    },
    rename(from: { toString(): string }, to: { toString(): string }): Promise<void> {
      const bytes = files.get(from.toString());
      if (!bytes) return Promise.reject(new Error(`no file ${from.toString()}`));
      files.delete(from.toString());
      files.set(to.toString(), bytes);
      return Promise.resolve();
    },
    delete(uri: { toString(): string }): Promise<void> {
      files.delete(uri.toString());
      return Promise.resolve();
    },
  },
  /** Opens an untitled document with `content` (recorded in openedTextDocuments). */
  openTextDocument(options: { content?: string; language?: string }): Promise<unknown> {
    openedTextDocuments.push(options);
    return Promise.resolve({ options });
  },
  onDidOpenNotebookDocument: opened.event,
  onDidChangeNotebookDocument: changed.event,
  onWillSaveNotebookDocument: willSave.event,
  async applyEdit(edit: WorkspaceEdit): Promise<boolean> {
    await Promise.resolve();
    for (const [uri, edits] of edit.edits) {
      const notebook = workspace.notebookDocuments.find((n) => n.uri.toString() === uri);
      if (!notebook) return false;
      const added: FakeCell[] = [];
      for (const e of edits) {
        const cells = e.newCells.map((data) => {
          const cell = new FakeCell(notebook, data.value, data.outputs);
          cell.metadata = data.metadata;
          cell.executionSummary = data.executionSummary;
          return cell;
        });
        notebook.cells.splice(e.range.start, e.range.end - e.range.start, ...cells);
        added.push(...cells);
      }
      changed.fire({ notebook, contentChanges: [{ addedCells: added }], cellChanges: [] });
    }
    return true;
  },
};

/** A message shown with its buttons (window.show*Message). */
export interface ShownMessage {
  severity: 'information' | 'warning' | 'error';
  message: string;
  items: string[];
}

/** Every message shown, with its severity and buttons, in order. */
export const shownMessageDetails: ShownMessage[] = [];

/**
 * Answers a shown message (the button the user clicks, or undefined for dismissing it); tests set
 * it (a promise: the user answers later), the default dismisses every message.
 */
export const messageAnswer: {
  pick: (shown: ShownMessage) => string | undefined | Promise<string | undefined>;
} = {
  pick: () => undefined,
};

/** Answers a quick pick with one of its items (the default cancels it). */
export const quickPickAnswer: { pick: (items: readonly unknown[]) => unknown } = {
  pick: () => undefined,
};

/** Answers a save dialog with a URI (a promise: the user is still choosing), by default the one it proposes. */
export const saveDialogAnswer: { pick: (options: { defaultUri?: unknown }) => unknown } = {
  pick: (options) => options.defaultUri,
};

/** Quick picks shown: their items, in order. */
export const shownQuickPicks: unknown[][] = [];
/** The options (title, placeHolder, …) of the quick picks shown, in the same order. */
export const shownQuickPickOptions: unknown[] = [];

/**
 * A quick pick made with window.createQuickPick: what it shows (title, placeholder, busy, items)
 * and whether it is shown. Once it is shown, not busy and given items, they and its options are
 * recorded in `shownQuickPicks` and `shownQuickPickOptions` and `quickPickAnswer` answers it, as
 * for window.showQuickPick (an item is accepted, undefined presses Escape). Tests may also drive it
 * themselves: `accept(item)` as the user picking, `escape()` as the user pressing Escape.
 */
export class FakeQuickPick<T extends { label: string; kind?: number }> {
  title: string | undefined;
  placeholder: string | undefined;
  enabled = true;
  matchOnDescription = false;
  matchOnDetail = false;
  ignoreFocusOut = false;
  canSelectMany = false;
  value = '';
  activeItems: readonly T[] = [];
  selectedItems: readonly T[] = [];
  /** True between show() and hide()/dispose(). */
  visible = false;
  disposed = false;
  /** Every value `busy` took, in order (starts with the initial false). */
  readonly busyHistory: boolean[] = [false];
  private itemList: readonly T[] = [];
  private itemsGiven = false;
  private answered = false;
  private readonly accepted = new EventEmitter<void>();
  private readonly hidden = new EventEmitter<void>();
  private readonly selection = new EventEmitter<readonly T[]>();
  readonly onDidAccept = this.accepted.event;
  readonly onDidHide = this.hidden.event;
  readonly onDidChangeSelection = this.selection.event;
  readonly onDidChangeActive = new EventEmitter<readonly T[]>().event;
  readonly onDidChangeValue = new EventEmitter<string>().event;

  get items(): readonly T[] {
    return this.itemList;
  }
  set items(items: readonly T[]) {
    this.itemList = items;
    this.itemsGiven = true;
    this.answerWhenReady();
  }
  get busy(): boolean {
    return this.busyHistory.at(-1)!;
  }
  set busy(busy: boolean) {
    this.busyHistory.push(busy);
    this.answerWhenReady();
  }
  show(): void {
    if (this.disposed) throw new Error('a disposed quick pick was shown again');
    this.visible = true;
    this.answerWhenReady();
  }
  hide(): void {
    if (!this.visible) return;
    this.visible = false;
    this.hidden.fire();
  }
  dispose(): void {
    this.hide();
    this.disposed = true;
  }
  /** The user picks `item` (Enter or a click); the pick stays shown until the code hides it. */
  accept(item: T | undefined): void {
    if (!this.visible) throw new Error('accept on a quick pick that is not shown');
    if (item?.kind === QuickPickItemKind.Separator) throw new Error('a separator cannot be picked');
    this.activeItems = item ? [item] : [];
    this.selectedItems = item ? [item] : [];
    this.selection.fire(this.selectedItems);
    this.accepted.fire();
  }
  /** The user presses Escape. */
  escape(): void {
    this.hide();
  }
  /** Once shown with items and not busy (checked after the code's synchronous updates): answers. */
  private answerWhenReady(): void {
    queueMicrotask(() => {
      if (this.answered || !this.visible || this.busy || !this.itemsGiven) return;
      this.answered = true;
      const items = [...this.itemList];
      shownQuickPicks.push(items);
      shownQuickPickOptions.push({
        title: this.title,
        placeHolder: this.placeholder,
        matchOnDescription: this.matchOnDescription,
        matchOnDetail: this.matchOnDetail,
        ignoreFocusOut: this.ignoreFocusOut,
      });
      void Promise.resolve(quickPickAnswer.pick(items)).then((answer) => {
        if (!this.visible) return;
        if (answer === undefined) this.escape();
        else this.accept(answer as T);
      });
    });
  }
}

/** Quick picks made with window.createQuickPick, in order. */
export const createdQuickPicks: FakeQuickPick<{ label: string; kind?: number }>[] = [];

/** Titles of the progress notifications shown, in order. */
export const shownProgress: string[] = [];
/** What progress.report was given under withProgress, in order. */
export const progressReports: unknown[] = [];

function show(
  severity: ShownMessage['severity'],
  message: string,
  items: unknown[],
): Promise<string | undefined> {
  shownMessages.push(message);
  const shown = { severity, message, items: items.filter((i) => typeof i === 'string') };
  shownMessageDetails.push(shown);
  return Promise.resolve(messageAnswer.pick(shown));
}

/** Where progress is shown. */
export const ProgressLocation = { SourceControl: 1, Window: 10, Notification: 15 };

/** Focus changes of the window (fire with `{ focused }`; `window.state` follows). */
export const windowStates = new EventEmitter<{ focused: boolean }>();

/** The window namespace (messages, quick picks, progress and focus). */
export const window = {
  state: { focused: true },
  onDidChangeWindowState: windowStates.event,
  showWarningMessage(message: string, ...items: unknown[]): Promise<string | undefined> {
    return show('warning', message, items);
  },
  showInformationMessage(message: string, ...items: unknown[]): Promise<string | undefined> {
    return show('information', message, items);
  },
  showErrorMessage(message: string, ...items: unknown[]): Promise<string | undefined> {
    return show('error', message, items);
  },
  showSaveDialog(options: { defaultUri?: unknown }): Promise<unknown> {
    return Promise.resolve(saveDialogAnswer.pick(options));
  },
  createQuickPick<T extends { label: string; kind?: number }>(): FakeQuickPick<T> {
    const pick = new FakeQuickPick<T>();
    createdQuickPicks.push(pick as unknown as FakeQuickPick<{ label: string; kind?: number }>);
    return pick;
  },
  showQuickPick(items: readonly unknown[], options?: unknown): Promise<unknown> {
    shownQuickPicks.push([...items]);
    shownQuickPickOptions.push(options);
    return Promise.resolve(quickPickAnswer.pick(items));
  },
  async withProgress<T>(
    options: { title?: string },
    task: (progress: { report(value: unknown): void }) => Promise<T>,
  ): Promise<T> {
    shownProgress.push(options.title ?? '');
    return task({ report: (value) => void progressReports.push(value) });
  },
  showInputBox(options?: unknown): Promise<string | undefined> {
    shownInputBoxes.push(options);
    return Promise.resolve(inputBoxAnswer.pick(options));
  },
  createWebviewPanel(
    viewType: string,
    title: string,
    column: unknown,
    options?: unknown,
  ): FakeWebviewPanel {
    const panel = new FakeWebviewPanel(viewType, title, column, options);
    createdWebviewPanels.push(panel);
    return panel;
  },
  showTextDocument(document: unknown, options?: unknown): Promise<unknown> {
    shownTextDocuments.push({ document, options });
    return Promise.resolve(undefined);
  },
  createStatusBarItem(id?: string, alignment?: number, priority?: number): FakeStatusBarItem {
    const item = new FakeStatusBarItem(id, alignment, priority);
    createdStatusBarItems.push(item);
    return item;
  },
};

// window.state follows every focus change (this listener is subscribed first, so runs first).
windowStates.event((state) => (window.state = state));

/** Commands executed (other than setContext), with their arguments, in order. */
export const executedCommands: { command: string; args: unknown[] }[] = [];
/** Context keys set with setContext, latest value by key. */
export const contextKeys = new Map<string, unknown>();

/** The commands namespace: records what was run and the context keys set. */
export const commands = {
  executeCommand(command: string, ...args: unknown[]): Promise<undefined> {
    if (command === 'setContext') contextKeys.set(String(args[0]), args[1]);
    else executedCommands.push({ command, args });
    return Promise.resolve(undefined);
  },
};

/** How a tree item starts. */
export enum TreeItemCollapsibleState {
  None = 0,
  Collapsed = 1,
  Expanded = 2,
}

/** A theme icon by id. */
export class ThemeIcon {
  constructor(
    readonly id: string,
    readonly color?: ThemeColor,
  ) {}
}

/** A theme colour by id. */
export class ThemeColor {
  constructor(readonly id: string) {}
}

/** Markdown text (a tooltip). */
export class MarkdownString {
  constructor(readonly value = '') {}
}

/** A tree item as a TreeDataProvider returns it. */
export class TreeItem {
  id?: string;
  description?: string;
  tooltip?: string | MarkdownString;
  iconPath?: ThemeIcon;
  contextValue?: string;
  command?: { command: string; title: string; arguments?: unknown[] };
  constructor(
    readonly label: string,
    readonly collapsibleState: TreeItemCollapsibleState = TreeItemCollapsibleState.None,
  ) {}
}

/** Where a cell status bar item sits. */
export enum NotebookCellStatusBarAlignment {
  Left = 1,
  Right = 2,
}

/** A cell status bar item. */
export class NotebookCellStatusBarItem {
  command?: { command: string; title: string; arguments?: unknown[] };
  tooltip?: string;
  constructor(
    readonly text: string,
    readonly alignment: NotebookCellStatusBarAlignment,
  ) {}
}

/** A renderer messaging channel: what the host posted, and a way to send as the renderer. */
export class FakeRendererMessaging {
  /** Messages the host posted, in order. */
  readonly posted: unknown[] = [];
  private readonly received = new EventEmitter<{
    editor: { notebook: FakeNotebook };
    message: unknown;
  }>();
  readonly onDidReceiveMessage = this.received.event;
  /** Posts to the renderers (recorded). */
  postMessage(message: unknown): Promise<boolean> {
    this.posted.push(message);
    return Promise.resolve(true);
  }
  /** Sends `message` as the renderer of `notebook`'s editor. */
  send(notebook: FakeNotebook, message: unknown): void {
    this.received.fire({ editor: { notebook }, message });
  }
}

/** The renderer messaging channels created, by renderer id (the newest of each). */
export const rendererMessagings = new Map<string, FakeRendererMessaging>();

/** The notebooks namespace (renderer messaging only). */
/** A cell execution: the outputs it replaces are written to the cell. */
export class FakeCellExecution {
  executionOrder: number | undefined;
  succeeded: boolean | undefined;
  constructor(readonly cell: FakeCell) {}
  start(): void {}
  end(success: boolean | undefined): void {
    this.succeeded = success;
  }
  replaceOutput(outputs: NotebookCellOutput[]): Promise<void> {
    this.cell.outputs = outputs;
    return Promise.resolve();
  }
}

/** A notebook controller (what PrivetSqlController sets and calls). */
export class FakeNotebookController {
  supportedLanguages: string[] = [];
  supportsExecutionOrder = false;
  description = '';
  executeHandler: ((cells: FakeCell[], notebook: FakeNotebook) => unknown) | undefined;
  /** What Stop in the notebook calls (unset: VS Code only cancels the executions' tokens). */
  interruptHandler: ((notebook: FakeNotebook) => unknown) | undefined;
  /** The cell executions created, oldest first. */
  readonly executions: FakeCellExecution[] = [];
  /** Fires as VS Code does when a notebook's kernel becomes, or stops being, this controller. */
  readonly selection = new EventEmitter<{ notebook: FakeNotebook; selected: boolean }>();
  readonly onDidChangeSelectedNotebooks = this.selection.event;
  constructor(
    readonly id: string,
    readonly notebookType: string,
    readonly label: string,
  ) {}
  createNotebookCellExecution(cell: FakeCell): FakeCellExecution {
    const execution = new FakeCellExecution(cell);
    this.executions.push(execution);
    return execution;
  }
  dispose(): void {}
}

/** The notebook controllers created, oldest first. */
export const notebookControllers: FakeNotebookController[] = [];

export const notebooks = {
  createRendererMessaging(rendererId: string): FakeRendererMessaging {
    const messaging = new FakeRendererMessaging();
    rendererMessagings.set(rendererId, messaging);
    return messaging;
  },
  createNotebookController(id: string, notebookType: string, label: string) {
    const controller = new FakeNotebookController(id, notebookType, label);
    notebookControllers.push(controller);
    return controller;
  },
};

/** A URI: its text only. */
export class Uri {
  constructor(private readonly text: string) {}
  /** `base` with `parts` appended as path segments. */
  static joinPath(base: { toString(): string }, ...parts: string[]): Uri {
    return new Uri([base.toString(), ...parts].join('/'));
  }
  /** The URI text. */
  toString(): string {
    return this.text;
  }
}

/** Input boxes shown: their options (title, prompt, …), in order. */
export const shownInputBoxes: unknown[] = [];
/** Answers an input box (the default cancels it). */
export const inputBoxAnswer: { pick: (options: unknown) => string | undefined } = {
  pick: () => undefined,
};

/** Where an editor or panel opens. */
export const ViewColumn = { Active: -1, Beside: -2, One: 1, Two: 2 };

/** A webview of a fake panel: its HTML and the messages posted to it. */
export class FakeWebview {
  html = '';
  options: unknown = {};
  readonly cspSource = 'vscode-resource:';
  readonly posted: unknown[] = [];
  private readonly received = new EventEmitter<unknown>();
  readonly onDidReceiveMessage = this.received.event;
  /** The URI itself (a fake webview needs no resource scheme). */
  asWebviewUri(uri: Uri): Uri {
    return uri;
  }
  postMessage(message: unknown): Promise<boolean> {
    this.posted.push(message);
    return Promise.resolve(true);
  }
  /** Delivers a message from the page to the extension. */
  receive(message: unknown): void {
    this.received.fire(message);
  }
}

/** A webview panel (window.createWebviewPanel): counts reveals, fires onDidDispose. */
export class FakeWebviewPanel {
  readonly webview = new FakeWebview();
  iconPath: unknown;
  reveals = 0;
  disposed = false;
  private readonly disposing = new EventEmitter<void>();
  readonly onDidDispose = this.disposing.event;
  constructor(
    readonly viewType: string,
    public title: string,
    readonly column: unknown,
    readonly options: unknown,
  ) {}
  reveal(): void {
    this.reveals++;
  }
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposing.fire();
  }
}

/** Webview panels created, in order. */
export const createdWebviewPanels: FakeWebviewPanel[] = [];

/** Documents shown with window.showTextDocument, with their options. */
export const shownTextDocuments: { document: unknown; options: unknown }[] = [];
/** Untitled documents opened with workspace.openTextDocument({ content, language }). */
export const openedTextDocuments: { content?: string; language?: string }[] = [];

/** Where a status bar item sits. */
export const StatusBarAlignment = { Left: 1, Right: 2 };

/** A status bar item: what it shows and whether it is shown. */
export class FakeStatusBarItem {
  text = '';
  tooltip: unknown;
  command: unknown;
  name: string | undefined;
  shown = false;
  disposed = false;
  constructor(
    readonly id: string | undefined,
    readonly alignment: number | undefined,
    readonly priority: number | undefined,
  ) {}
  show(): void {
    this.shown = true;
  }
  hide(): void {
    this.shown = false;
  }
  dispose(): void {
    this.disposed = true;
  }
}

/** Status bar items created, in order. */
export const createdStatusBarItems: FakeStatusBarItem[] = [];

/** How a quick pick item shows (a separator cannot be picked). */
export enum QuickPickItemKind {
  Separator = -1,
  Default = 0,
}
