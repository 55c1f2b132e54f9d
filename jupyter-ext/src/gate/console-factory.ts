/**
 * Why: a code console shows kernel outputs too (its own cells, and other clients' executions when
 * "Show All Kernel Activity" is on), so it must not be a way around the gate. Like the notebook
 * content factory, the console panel's content factory is JupyterLab's hook for how a console is
 * built: ours hands each new console a GatedRenderMimeRegistry. The core factory plugin is disabled
 * in package.json, so no console opens ungated. A held console output can be sent for review like a
 * notebook's (the console's path and the cell's code give the reviewer the context).
 */
import type { Cell } from '@jupyterlab/cells';
import { ConsolePanel, type CodeConsole } from '@jupyterlab/console';
import type { OutputGate } from './gate.js';
import { GateHost } from './host.js';
import { GatedRenderMimeRegistry } from './registry.js';
import { gatedStdin, type StdinOptions, type StdinWidget } from './stdin.js';

/** The console content factory that gates every output. */
export class GatedConsoleContentFactory extends ConsolePanel.ContentFactory {
  /** Creates the factory over the shared gate. */
  constructor(
    options: Cell.ContentFactory.IOptions,
    private readonly gate: OutputGate,
  ) {
    super(options);
  }

  /** A stdin widget (`input()`) whose prompt, kernel text, is checked before it is drawn. */
  override createStdin(options: StdinOptions): StdinWidget {
    return gatedStdin(this.gate, options, (o) => super.createStdin(o));
  }

  /** A console whose rendermime registry gates every renderer. */
  override createConsole(options: CodeConsole.IOptions): CodeConsole {
    const host = new GateHost(this.gate, 'console');
    const rendermime = new GatedRenderMimeRegistry(options.rendermime, host);
    const codeConsole = super.createConsole({ ...options, rendermime });
    host.attachConsole(codeConsole, () => codeConsole.sessionContext.path);
    host.widgets.watch(codeConsole.sessionContext);
    host.replies.watch(codeConsole.sessionContext);
    codeConsole.disposed.connect(() => {
      host.widgets.dispose();
      host.replies.dispose();
    });
    return codeConsole;
  }
}
