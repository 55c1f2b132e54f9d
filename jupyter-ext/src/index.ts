/**
 * Privet's JupyterLab plugins: shared services, the output gate (every notebook output checked
 * before display, and every file opened in a viewer or editor), the data panel with budget and record sidebar, the reviewer queue and the
 * export gate.
 */
import { dataPanelPlugin } from './plugins/dataPanel.js';
import { exportPlugin } from './plugins/export.js';
import {
  consoleGatePlugin,
  debuggerGatePlugin,
  fileGatePlugin,
  gatePlugin,
} from './plugins/gate.js';
import { reviewQueuePlugin } from './plugins/reviewQueue.js';
import { servicesPlugin } from './plugins/services.js';

export default [
  servicesPlugin,
  gatePlugin,
  consoleGatePlugin,
  debuggerGatePlugin,
  fileGatePlugin,
  dataPanelPlugin,
  reviewQueuePlugin,
  exportPlugin,
];
