/**
 * `privet:export`: "Export approved results" for notebooks in a Privet experiment — a command
 * (palette, File menu via schema/plugin.json, notebook toolbar button) in place of JupyterLab's
 * download and "Save and Export Notebook As…", whose plugins are disabled in package.json.
 */
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, Notification, showErrorMessage } from '@jupyterlab/apputils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { CommandToolbarButton } from '@jupyterlab/ui-components';
import { CommandIDs, PALETTE_CATEGORY } from '../commands.js';
import { exportApproved, showExportResult } from '../export/exportApproved.js';
import { notebookExperiment } from '../gate/locate.js';
import { IPrivetServices } from '../services.js';

/** The export gate plugin. */
export const exportPlugin: JupyterFrontEndPlugin<void> = {
  id: 'privet:export',
  description:
    'Export approved results: a gateway-signed bundle with only passed or approved outputs.',
  autoStart: true,
  requires: [IPrivetServices, INotebookTracker],
  optional: [ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    services: IPrivetServices,
    tracker: INotebookTracker,
    palette: ICommandPalette | null,
  ): void => {
    const { session, context } = services;
    /** The notebook being exported now (one export at a time), or null. */
    let exporting: string | null = null;
    const experimentOf = (): string | null =>
      notebookExperiment(tracker.currentWidget?.content ?? null) ?? context.selected?.id ?? null;
    app.commands.addCommand(CommandIDs.exportApproved, {
      label: 'Export Approved Results',
      caption: 'Export only the outputs that passed review or were approved, signed by the gateway',
      isEnabled: () =>
        exporting === null &&
        tracker.currentWidget !== null &&
        experimentOf() !== null &&
        (session.signedIn?.user.roles.some((r) => r === 'analyst' || r === 'steward') ?? false),
      execute: async () => {
        const panel = tracker.currentWidget;
        const signedIn = session.signedIn;
        const experiment = experimentOf();
        if (!panel || !signedIn || !experiment || exporting !== null) return;
        exporting = panel.context.path;
        refresh();
        try {
          const exported = exportApproved(
            panel,
            signedIn.client,
            experiment,
            app.serviceManager.contents,
          );
          // Progress while the gateway checks every output and signs the bundle (it may take a while).
          Notification.promise(
            exported.then(() => null),
            {
              pending: {
                message: `Exporting the approved results of ${exporting}…`,
                options: { autoClose: false },
              },
              success: {
                message: () => 'Approved results exported.',
                options: { autoClose: 3000 },
              },
              error: { message: () => 'Export failed: see the dialog for why and how to fix it.' },
            },
          );
          const { path, bundle } = await exported;
          await showExportResult(path, bundle);
        } catch (error) {
          const fix = (error as { fix?: unknown }).fix;
          await showErrorMessage(
            'Export failed',
            `${error instanceof Error ? error.message : String(error)}${typeof fix === 'string' && fix ? `. Fix: ${fix}` : ''}`,
          );
        } finally {
          exporting = null;
          refresh();
        }
      },
    });
    const refresh = (): void => app.commands.notifyCommandChanged(CommandIDs.exportApproved);
    session.changed.connect(refresh);
    context.changed.connect(refresh);
    tracker.currentChanged.connect(refresh);
    tracker.widgetAdded.connect((_, panel) => {
      // Right after "Save": items at the end go to the overflow menu when the notebook is narrow.
      panel.toolbar.insertItem(
        1,
        'privetExportApproved',
        new CommandToolbarButton({
          commands: app.commands,
          id: CommandIDs.exportApproved,
          label: 'Export approved',
        }),
      );
    });
    palette?.addItem({ command: CommandIDs.exportApproved, category: PALETTE_CATEGORY });
  },
};
