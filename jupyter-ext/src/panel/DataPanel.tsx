import * as React from 'react';
import { ReactWidget } from '@jupyterlab/ui-components';
import { privetIcon } from '../icons.js';
import { DataPanelApp, type DataPanelAppProps } from './DataPanelApp.js';

/** Options of the data panel widget; `gatewayUrl` may change when the settings do. */
export type DataPanelOptions = DataPanelAppProps;

/** The left-sidebar Privet data panel (a ReactWidget around DataPanelApp). */
export class DataPanel extends ReactWidget {
  private options: DataPanelOptions;

  /** Creates the panel with the sidebar id `privet-data-panel`. */
  constructor(options: DataPanelOptions) {
    super();
    this.options = options;
    this.id = 'privet-data-panel';
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
    return <DataPanelApp {...this.options} />;
  }
}
