import * as React from 'react';
import { privetIcon } from '../icons.js';
import { PollingWidget } from './PollingWidget.js';
import { BudgetApp } from './BudgetApp.js';
import { BUDGET_HOST, gatewayStatusOf } from './gateway-status-model.js';
import type { ExperimentContext } from '../experiment.js';
import type { PrivetSession } from '../session.js';

/** How often the sidebar refreshes while it is visible. */
export const BUDGET_REFRESH_MS = 10_000;

/** The right-sidebar budget view: gauges and charges of the selected experiment. */
export class BudgetSidebar extends PollingWidget {
  /** Creates the sidebar with the id `privet-budget`. */
  constructor(
    private readonly session: PrivetSession,
    private readonly context: ExperimentContext,
  ) {
    super(BUDGET_REFRESH_MS, (shown) => gatewayStatusOf(session).setShown(BUDGET_HOST.id, shown));
    this.id = 'privet-budget';
    this.addClass('jp-Privet-dataPanel');
    this.title.icon = privetIcon;
    this.title.caption = 'Privet privacy budget';
  }

  protected render(): JSX.Element {
    return <BudgetApp session={this.session} context={this.context} tick={this.tick} />;
  }
}
