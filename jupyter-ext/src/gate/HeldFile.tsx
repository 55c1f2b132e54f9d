/**
 * The notice shown in place of a document whose file the gate has not shown (file-gate.ts): being
 * checked, or held with the rules that fired (never the content), what to do, and "Check again"
 * when asking the gateway again can help. A plain button, so it is reachable with Tab.
 */
import * as React from 'react';
import { ReactWidget } from '@jupyterlab/ui-components';
import type { FileVerdict } from './file-gate.js';
import { RuleList } from './HeldOutput.js';

/** The notice's React tree for a verdict other than `shown`. */
export function HeldFile(props: {
  verdict: Exclude<FileVerdict, { state: 'shown' }>;
  onRecheck: () => void;
}): JSX.Element {
  const { verdict } = props;
  const held = verdict.state === 'held';
  return (
    <div
      className="jp-Privet-held jp-Privet-heldFile"
      role="group"
      aria-label="File held by Privet"
      data-verdict={held ? 'block' : 'flag'}
      data-state={verdict.state}
    >
      <div className="jp-Privet-heldTitle">
        {held ? 'File held by Privet — not shown' : 'File being checked — not shown yet'}
      </div>
      {held ? <RuleList findings={verdict.findings} /> : null}
      <div className="jp-Privet-heldState" role="status">
        {verdict.message}
      </div>
      {held && verdict.canRecheck ? (
        <div className="jp-Privet-heldActions">
          <button
            type="button"
            className="jp-Button jp-mod-styled jp-mod-accept"
            onClick={props.onRecheck}
          >
            Check again
          </button>
        </div>
      ) : null}
    </div>
  );
}

/** A ReactWidget around HeldFile whose verdict can be replaced. */
export class HeldFileWidget extends ReactWidget {
  private verdict: Exclude<FileVerdict, { state: 'shown' }> | null = null;

  /** Creates the (empty) notice; `onRecheck` runs on "Check again". */
  constructor(private readonly onRecheck: () => void) {
    super();
    this.addClass('jp-Privet-heldFileWidget');
  }

  /** Shows the verdict's notice. */
  setVerdict(verdict: Exclude<FileVerdict, { state: 'shown' }>): void {
    this.verdict = verdict;
    this.update();
  }

  protected render(): JSX.Element | null {
    return this.verdict ? <HeldFile verdict={this.verdict} onRecheck={this.onRecheck} /> : null;
  }
}
