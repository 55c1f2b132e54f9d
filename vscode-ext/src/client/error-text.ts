// Why: every VS Code message about a failed gateway call says what happened and how to fix it,
// in the same words; one place builds that text.
import { GatewayError } from './gateway.js';

/** "message. Fix: fix" for a gateway error, else the error's message. */
export function errorText(error: unknown): string {
  if (error instanceof GatewayError) return `${error.message}. Fix: ${error.fix}`;
  return error instanceof Error ? error.message : String(error);
}
