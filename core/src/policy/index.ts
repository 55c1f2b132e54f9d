/** Policy model: schema, types, parsing and validation with file:line errors. */
export * from './schema.js';
export * from './errors.js';
export { parsePolicy, MAX_POLICY_BYTES } from './load.js';
export { policyJsonSchema } from './validate-schema.js';
export { declared } from './lookup.js';
export { linkingTokens, linkedRowsCaveat } from './linking.js';
