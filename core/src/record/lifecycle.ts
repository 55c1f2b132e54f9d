/**
 * The experiment lifecycle as data: which transitions exist and which lifecycle states allow data
 * access. The gateway enforces roles on top of this table; hosts use it to show what comes next.
 */
import type { LifecycleState } from './types.js';

/** Allowed transitions: proposal → approved → running → evaluation → dissolved, proposal → rejected; an approved or running experiment may also be dissolved early (e.g. a steward revoking it). */
export const TRANSITIONS: Readonly<Record<LifecycleState, readonly LifecycleState[]>> = {
  proposal: ['approved', 'rejected'],
  approved: ['running', 'dissolved'],
  running: ['evaluation', 'dissolved'],
  evaluation: ['dissolved'],
  dissolved: [],
  rejected: [],
};

/** True when `from → to` is a lifecycle transition. */
export function canTransition(from: LifecycleState, to: LifecycleState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** States in which members may access views and run DP queries. */
export const ACTIVE_STATES: readonly LifecycleState[] = ['approved', 'running'];

/** True when members may access views and spend budget in this state. */
export function allowsDataAccess(state: LifecycleState): boolean {
  return ACTIVE_STATES.includes(state);
}
