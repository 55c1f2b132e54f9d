/**
 * A synthetic view's fidelity report in a main-area tab: the sidebar card is too narrow for its
 * tables and plots. One tab per view (opening it again shows the newest report there); every tab
 * closes when the user signs out or another user signs in, as the report was loaded for them.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import { MainAreaWidget, ReactWidget } from '@jupyterlab/apputils';
import type { FidelityReport } from '@privet/core/synth/fidelity-types';
import * as React from 'react';
import type { PrivetSession, SignedIn } from '../session.js';
import { FidelityReportView } from './FidelityReportView.js';
import { privetIcon } from '../icons.js';

/** A loaded report and its SVG plots. */
export interface LoadedFidelity {
  report: FidelityReport;
  svg: string;
}

/** Who is signed in where (null: no one). */
const who = (signedIn: SignedIn | null): string | null =>
  signedIn ? `${signedIn.client.baseUrl} ${signedIn.user.user}` : null;

/** The tab id of a view's report. */
const tabId = (view: string): string => `privet-fidelity-${view}`;

/** Opens fidelity reports in main-area tabs of `app`, closing them when the user changes. */
export class FidelityTabs {
  private readonly open = new Map<string, MainAreaWidget>();
  private user: string | null;

  constructor(
    private readonly app: JupyterFrontEnd,
    session: PrivetSession,
  ) {
    this.user = who(session.signedIn);
    session.changed.connect((_, signedIn) => {
      const user = who(signedIn);
      if (user !== this.user) this.closeAll();
      this.user = user;
    });
  }

  /** Shows `loaded` in its view's tab (made if none is open) and activates it. */
  show(loaded: LoadedFidelity): void {
    const view = loaded.report.view;
    this.open.get(view)?.dispose();
    const content = ReactWidget.create(<FidelityReportView {...loaded} />);
    content.addClass('jp-Privet-fidelityTab');
    const tab = new MainAreaWidget({ content });
    tab.id = tabId(view);
    tab.title.label = `Fidelity: ${view}`;
    tab.title.caption = `Fidelity report of the synthetic view ${view} (computed on raw data)`;
    tab.title.icon = privetIcon;
    tab.title.closable = true;
    tab.disposed.connect(() => {
      if (this.open.get(view) === tab) this.open.delete(view);
    });
    this.open.set(view, tab);
    this.app.shell.add(tab, 'main');
    this.app.shell.activateById(tab.id);
  }

  private closeAll(): void {
    for (const tab of [...this.open.values()]) tab.dispose();
    this.open.clear();
  }
}
