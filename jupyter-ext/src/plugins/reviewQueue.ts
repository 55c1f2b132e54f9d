/**
 * `privet:review-queue`: the reviewer queue in the left sidebar, with its palette command; it also
 * picks the sidebar a sign-in link lands on (link-landing.ts), as it knows both Privet panels.
 */
import {
  ILayoutRestorer,
  type JupyterFrontEnd,
  type JupyterFrontEndPlugin,
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { CommandIDs, PALETTE_CATEGORY } from '../commands.js';
import { ReviewQueuePanel } from '../review/ReviewQueuePanel.js';
import { DATA_PANEL_ID } from '../panel/DataPanel.js';
import { IPrivetServices } from '../services.js';
import { landAfterLink } from './link-landing.js';

/** The reviewer queue plugin. */
export const reviewQueuePlugin: JupyterFrontEndPlugin<void> = {
  id: 'privet:review-queue',
  description: 'The Privet reviewer queue: approve, reject or request changes on held outputs.',
  autoStart: true,
  requires: [IPrivetServices],
  optional: [ILayoutRestorer, ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    services: IPrivetServices,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
  ): void => {
    const queue = new ReviewQueuePanel(services.session);
    app.shell.add(queue, 'left', { rank: 901 });
    restorer?.add(queue, queue.id);
    app.commands.addCommand(CommandIDs.openReviewQueue, {
      label: 'Open Privet Review Queue',
      caption: 'Show the output review requests (reviewers)',
      execute: () => app.shell.activateById(queue.id),
    });
    palette?.addItem({ command: CommandIDs.openReviewQueue, category: PALETTE_CATEGORY });
    if (services.openedWithLink) void landAfterLink(app, services.session, DATA_PANEL_ID, queue.id);
  },
};
