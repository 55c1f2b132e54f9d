/**
 * Why the sign-in a tab keeps could not be restored, in words the data panel shows above its
 * sign-in form (RestoreProblemBox.tsx): what happened and how to fix it, ending with Retry.
 */
import { GatewayError } from './client.js';

/** Why the sign-in this tab keeps could not be restored (the gateway did not answer, …). */
export interface RestoreProblem {
  /** The gateway the kept sign-in is for. */
  gatewayUrl: string;
  /** What happened, e.g. that the gateway is unreachable. */
  message: string;
  /** How to fix it, ending with the Retry that resumes the kept sign-in. */
  fix: string;
}

/** What to do about an unreachable gateway when its error carries no fix of its own. */
const START_GATEWAY = 'start the gateway (npm start)';
/** Retry reads the gateway URL from the settings again, so changing it there is a fix. */
const THEN_RETRY = 'or check the gateway URL in Settings → Privet, then choose Retry';

/** The RestoreProblem of a kept token the gateway at `baseUrl` could not check. */
export function restoreProblemOf(baseUrl: string, error: unknown): RestoreProblem {
  const own = error instanceof GatewayError && error.fix ? error.fix : null;
  if (error instanceof GatewayError && error.code === 'unreachable') {
    return {
      gatewayUrl: baseUrl,
      message: `The Privet gateway at ${baseUrl} is unreachable, so your sign-in in this tab could not be restored.`,
      // The transport's fix (e.g. the CORS origin to allow) says more than "start it".
      fix: `${own ? own.replace(/^start it\b/, 'start the gateway') : START_GATEWAY}, ${THEN_RETRY}`,
    };
  }
  const why = error instanceof Error ? error.message : 'the gateway gave no answer';
  return {
    gatewayUrl: baseUrl,
    message: `Your sign-in in this tab could not be restored from the Privet gateway at ${baseUrl}: ${why}.`,
    fix: `${own ?? 'check the gateway log'}, then choose Retry`,
  };
}
