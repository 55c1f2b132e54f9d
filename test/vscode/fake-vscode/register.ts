/**
 * Import first (before any extension-host module) to load the fake VS Code API (index.ts) for
 * `'vscode'` in this test process.
 */
import { register } from 'node:module';

register('./loader.mjs', import.meta.url);
