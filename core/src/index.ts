/** @privet/core — pure TypeScript shared by the gateway and every notebook host. */
export * from './policy/index.js';
export * from './protocol.js';
