/**
 * `privet:data-panel`: the left-sidebar data panel (sign in, approved views, in-browser SQL over
 * masked and synthetic views, DP queries), the right-sidebar budget and record, and the DP release
 * renderer.
 */
import {
  ILayoutRestorer,
  type JupyterFrontEnd,
  type JupyterFrontEndPlugin,
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IEditorServices } from '@jupyterlab/codeeditor';
import { INotebookTracker } from '@jupyterlab/notebook';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { CommandIDs, DEFAULT_GATEWAY_URL, PALETTE_CATEGORY, SETTINGS_ID } from '../commands.js';
import { SqlEngine } from '../engine.js';
import { bindExperiment } from '../gate/locate.js';
import { rendererFactory } from '../mime.js';
import { followKernelTokens, insertRelease, useInNotebook } from '../notebook.js';
import { BudgetSidebar } from '../panel/BudgetSidebar.js';
import { DataPanel } from '../panel/DataPanel.js';
import { FidelityTabs } from '../panel/FidelityTab.js';
import { IPrivetServices } from '../services.js';

/** Reads gatewayUrl from the settings, falling back to the default. */
function gatewayUrlOf(settings: ISettingRegistry.ISettings | null): string {
  const value = settings?.get('gatewayUrl').composite;
  return typeof value === 'string' && value !== '' ? value : DEFAULT_GATEWAY_URL;
}

/** The data panel plugin. */
export const dataPanelPlugin: JupyterFrontEndPlugin<void> = {
  id: 'privet:data-panel',
  description: 'The Privet data panel: approved views and in-browser SQL over masked data.',
  autoStart: true,
  requires: [IPrivetServices],
  optional: [
    ISettingRegistry,
    ICommandPalette,
    INotebookTracker,
    ILayoutRestorer,
    IRenderMimeRegistry,
    IEditorServices,
  ],
  activate: async (
    app: JupyterFrontEnd,
    services: IPrivetServices,
    registry: ISettingRegistry | null,
    palette: ICommandPalette | null,
    tracker: INotebookTracker | null,
    restorer: ILayoutRestorer | null,
    rendermime: IRenderMimeRegistry | null,
    editors: IEditorServices | null,
  ): Promise<void> => {
    // The DP release renderer, registered before any notebook clones the registry.
    rendermime?.addFactory(rendererFactory, rendererFactory.defaultRank);
    const { session, context } = services;
    void followKernelTokens(app, session); // the kernels given a token before a page reload
    const engine = new SqlEngine();
    const fidelityTabs = new FidelityTabs(app, session);
    const panel = new DataPanel({
      session,
      engine,
      context,
      gatewayUrl: DEFAULT_GATEWAY_URL,
      onUseInNotebook: async (signedIn, view, experiment) => {
        const notebook = await useInNotebook(app, tracker, signedIn, view.name, experiment.id);
        bindExperiment(notebook.content, experiment.id);
      },
      onRelease: async (release) => {
        const notebook = await insertRelease(app, tracker, release);
        if (context.selected) bindExperiment(notebook.content, context.selected.id);
      },
      onOpenFidelity: (loaded) => fidelityTabs.show(loaded),
      editors,
    });
    app.shell.add(panel, 'left', { rank: 900 });
    restorer?.add(panel, panel.id);
    const budget = new BudgetSidebar(session, context);
    app.shell.add(budget, 'right', { rank: 900 });
    restorer?.add(budget, budget.id);

    app.commands.addCommand(CommandIDs.openDataPanel, {
      label: 'Open Privet Data Panel',
      caption: 'Show the approved views and the in-browser SQL editor',
      execute: () => app.shell.activateById(panel.id),
    });
    app.commands.addCommand(CommandIDs.openBudget, {
      label: 'Open Privet Privacy Budget',
      caption: 'Show the privacy budget, charges and record of the selected experiment',
      execute: () => app.shell.activateById(budget.id),
    });
    app.commands.addCommand(CommandIDs.signOut, {
      label: 'Sign Out of Privet',
      caption: 'Forget the gateway token held by this browser tab',
      isEnabled: () => session.signedIn !== null,
      execute: () => session.signOut(),
    });
    session.changed.connect(() => app.commands.notifyCommandChanged(CommandIDs.signOut));
    for (const command of [CommandIDs.openDataPanel, CommandIDs.openBudget, CommandIDs.signOut]) {
      palette?.addItem({ command, category: PALETTE_CATEGORY });
    }

    let settings: ISettingRegistry.ISettings | null = null;
    if (registry) {
      try {
        settings = await registry.load(SETTINGS_ID);
        settings.changed.connect(() => {
          panel.gatewayUrl = gatewayUrlOf(settings);
        });
      } catch (error) {
        console.warn(`Privet: could not load the settings ${SETTINGS_ID}; using defaults.`, error);
      }
    }
    panel.gatewayUrl = gatewayUrlOf(settings);
    void session.resume(gatewayUrlOf(settings));
  },
};
