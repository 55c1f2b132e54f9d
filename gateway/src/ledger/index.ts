/** Ledger: exact, durable privacy-budget accounting shared by every gateway process. */
export { Ledger, type LedgerOptions, type ReserveRequest } from './ledger.js';
export {
  ledgerState,
  checkLedgerConsistency,
  type LedgerState,
  type BudgetState,
  type EpsDelta,
} from './state.js';
export { type Amount, type AmountInput, amount, positiveCost, optionalDelta } from './amounts.js';
export { ensureLedgerSchema } from './schema.js';
export { openServices, type OpenServicesOptions, type Services } from './open.js';
