// Why: apart from language-client.ts (which loads vscode-languageclient) so it is tested alone.
import type { Session } from '../session.js';

/**
 * The session fields the server needs (mirrors ServerSession in server/server.ts). The gateway
 * URL is the one the token was issued by, not the setting read now: a token is only ever sent to
 * its own gateway.
 */
export function sessionFields(
  session: Pick<Session, 'signedIn'>,
  wasmDir: string,
): Record<string, string | undefined> {
  const signedIn = session.signedIn;
  return {
    gatewayUrl: signedIn?.client.baseUrl,
    token: signedIn?.client.token,
    experiment: signedIn?.experiment,
    wasmDir,
  };
}
