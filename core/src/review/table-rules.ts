/** The table rules, one module each; re-exported here for the checkers. */
export { type CellHit, isCountLabel, statedTotal } from './labels.js';
export { smallCells } from './small-cells.js';
export { rowLevel } from './row-level.js';
export { contributionHits, dominance, dominated } from './dominance.js';
export { birthDateColumns, identifierColumns } from './column-rules.js';
