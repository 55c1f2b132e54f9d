import * as React from 'react';
import { privetIcon } from '../icons.js';
import { DataPanelApp, type DataPanelAppProps } from './DataPanelApp.js';
import { DATA_PANEL_HOST, gatewayStatusOf } from './gateway-status-model.js';
import { PollingWidget } from './PollingWidget.js';

/** Options of the data panel widget; `gatewayUrl` may change when the settings do. */
export type DataPanelOptions = Omit<DataPanelAppProps, 'tick'>;

/** The data panel's widget id (its sidebar tab's data-id). */
export const DATA_PANEL_ID = 'privet-data-panel';

/** How often the panel lists the views again while it is shown. */
export const VIEWS_REFRESH_MS = 60_000;

/**
 * The left-sidebar Privet data panel (a ReactWidget around DataPanelApp). It follows the gateway
 * as a JupyterLab panel does: the views are listed again each time the panel is shown and every
 * VIEWS_REFRESH_MS while it stays shown, never while it is hidden or after it is disposed.
 */
export class DataPanel extends PollingWidget {
  private options: DataPanelOptions;

  /** Creates the panel with the sidebar id `privet-data-panel`. */
  constructor(options: DataPanelOptions) {
    super(VIEWS_REFRESH_MS, (shown) =>
      gatewayStatusOf(this.options.session).setShown(DATA_PANEL_HOST.id, shown),
    );
    this.options = options;
    this.id = DATA_PANEL_ID;
    this.addClass('jp-Privet-dataPanel');
    this.title.icon = privetIcon;
    this.title.caption = 'Privet data';
  }

  /** Applies a new gateway URL from the settings. */
  set gatewayUrl(url: string) {
    this.options = { ...this.options, gatewayUrl: url };
    this.update();
  }

  protected render(): JSX.Element {
    return <DataPanelApp {...this.options} tick={this.tick} />;
  }
}
