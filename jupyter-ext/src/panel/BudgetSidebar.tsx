import * as React from 'react';
import { ReactWidget } from '@jupyterlab/ui-components';
import type { Message } from '@lumino/messaging';
import { privetIcon } from '../icons.js';
import { BudgetApp } from './BudgetApp.js';
import type { ExperimentContext } from '../experiment.js';
import type { PrivetSession } from '../session.js';

/** How often the sidebar refreshes while it is visible. */
export const BUDGET_REFRESH_MS = 10_000;

/** The right-sidebar budget view: gauges and charges of the selected experiment. */
export class BudgetSidebar extends ReactWidget {
  private tick = 0;
  private timer: ReturnType<typeof setInterval> | undefined;

  /** Creates the sidebar with the id `privet-budget`. */
  constructor(
    private readonly session: PrivetSession,
    private readonly context: ExperimentContext,
  ) {
    super();
    this.id = 'privet-budget';
    this.addClass('jp-Privet-dataPanel');
    this.title.icon = privetIcon;
    this.title.caption = 'Privet privacy budget';
  }

  protected override onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this.refresh();
    this.timer ??= setInterval(() => this.refresh(), BUDGET_REFRESH_MS);
  }

  protected override onAfterHide(msg: Message): void {
    super.onAfterHide(msg);
    clearInterval(this.timer);
    this.timer = undefined;
  }

  override dispose(): void {
    clearInterval(this.timer);
    super.dispose();
  }

  /** Reloads the budget now. */
  refresh(): void {
    this.tick += 1;
    this.update();
  }

  protected render(): JSX.Element {
    return <BudgetApp session={this.session} context={this.context} tick={this.tick} />;
  }
}
