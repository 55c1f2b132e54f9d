/** Masking: keyed tokens, format-preserving masks, generalization and k-anonymity, as DuckDB SQL. */
export * from './sql.js';
export * from './hmac.js';
export * from './keys.js';
export * from './masks.js';
export * from './generalize.js';
export * from './operators.js';
export * from './kanon.js';
