/** @privet/core — pure TypeScript shared by the gateway and every notebook host. */
export * from './policy/index.js';
export * from './protocol.js';
export * from './mask/index.js';
export * from './dp/index.js';
export * from './dpsql/index.js';
export * from './record/index.js';
export * from './review/index.js';
export * as synth from './synth/index.js';
