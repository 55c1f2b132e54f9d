/** Records: experiment and audit-entry types, canonical JSON, hash-chain verification, lifecycle. */
export * from './types.js';
export * from './canonical.js';
export * from './chain.js';
export * from './lifecycle.js';
export * from './experiment-record.js';
