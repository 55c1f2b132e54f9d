import * as React from 'react';
import { reviewIcon } from '../icons.js';
import { gatewayStatusOf, REVIEW_QUEUE_HOST } from '../panel/gateway-status-model.js';
import { PollingWidget } from '../panel/PollingWidget.js';
import type { PrivetSession } from '../session.js';
import { ReviewQueueApp } from './ReviewQueueApp.js';

/** How often the queue reloads while it is visible. */
export const QUEUE_REFRESH_MS = 5000;

/** The left-sidebar reviewer queue (id `privet-review-queue`). */
export class ReviewQueuePanel extends PollingWidget {
  /** Creates the queue over the shared session. */
  constructor(private readonly session: PrivetSession) {
    super(QUEUE_REFRESH_MS, (shown) =>
      gatewayStatusOf(session).setShown(REVIEW_QUEUE_HOST.id, shown),
    );
    this.id = 'privet-review-queue';
    this.addClass('jp-Privet-dataPanel');
    this.title.icon = reviewIcon;
    this.title.caption = 'Privet review queue';
  }

  protected render(): JSX.Element {
    return <ReviewQueueApp session={this.session} tick={this.tick} />;
  }
}
