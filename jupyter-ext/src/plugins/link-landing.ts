/**
 * Where a tab opened through a sign-in link (`#privet-token=…`, what `npm start` prints) lands:
 * the Privet data panel, shown over whatever sidebar the restored layout had, since the user came
 * for Privet; once the link's user is known, a reviewer who does not analyse data gets the review
 * queue instead, unless they picked another sidebar meanwhile.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import type { Widget } from '@lumino/widgets';
import type { PrivetSession } from '../session.js';

/**
 * How long the landing waits for the link's sign-in (which may ask whether to switch users)
 * before it leaves the data panel shown.
 */
export const LINK_SIGN_IN_WAIT_MS = 120_000;

/** True when a user with `roles` reviews outputs and does not analyse data. */
export function landsOnReviewQueue(roles: readonly string[]): boolean {
  return roles.includes('reviewer') && !roles.includes('analyst');
}

/** `promise`'s value, or null when it has none within `ms`. */
export function within<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), ms);
    void promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      () => {
        clearTimeout(timer);
        resolve(null);
      },
    );
  });
}

/** The left-sidebar widget with `id`, if one is there. */
function leftWidget(app: JupyterFrontEnd, id: string): Widget | undefined {
  for (const widget of app.shell.widgets('left')) if (widget.id === id) return widget;
  return undefined;
}

/**
 * Shows the data panel (`dataPanelId`) once the layout is restored, then the review queue
 * (`reviewQueueId`) when the user signed in once the link is dealt with (a tab signed in as
 * someone else asks first) is a reviewer who does not analyse data, and the data panel is still
 * the sidebar shown.
 */
export async function landAfterLink(
  app: JupyterFrontEnd,
  session: Pick<PrivetSession, 'linkSettled'>,
  dataPanelId: string,
  reviewQueueId: string,
  waitMs = LINK_SIGN_IN_WAIT_MS,
): Promise<void> {
  await app.restored;
  app.shell.activateById(dataPanelId);
  const user = await within(session.linkSettled, waitMs);
  if (!user || !landsOnReviewQueue(user.user.roles)) return;
  if (leftWidget(app, dataPanelId)?.isVisible) app.shell.activateById(reviewQueueId);
}
