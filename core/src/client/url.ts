/** Gateway URLs: checking what the user entered, and filling route path parameters. */
import { GatewayError } from './gateway-error.js';

/**
 * Normalizes a user-entered gateway URL (origin + path, no trailing slash); throws a GatewayError
 * when it is not an http(s) URL. `setting` names where the user sets it, for the fix text.
 */
export function normalizeGatewayUrl(raw: string, setting: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new GatewayError(
      'the gateway URL is not a valid URL',
      `set ${setting} like http://127.0.0.1:8765 (Settings → Privet → Gateway URL)`,
      'bad_url',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new GatewayError(
      'the gateway URL must use http or https',
      `set ${setting} like http://host:port`,
      'bad_url',
    );
  }
  return url.origin + url.pathname.replace(/\/+$/, '');
}

/**
 * Fills the `:param` segments of a route path with URL-encoded values; throws when one is
 * missing, so a call never goes to a half-filled path.
 */
export function fillRoutePath(template: string, params: Readonly<Record<string, string>>): string {
  return template.replace(/:([A-Za-z]+)/g, (_match, key: string) => {
    const value = params[key];
    if (value === undefined) {
      throw new GatewayError(
        `the route ${template} needs the parameter "${key}"`,
        'this is a bug in the Privet client; report it with the route named here',
        'bad_request',
      );
    }
    return encodeURIComponent(value);
  });
}

/** A query string (`?a=1&b=2`, or '' when empty) from the defined, non-empty entries. */
export function queryString(entries: Readonly<Record<string, string | undefined>>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(entries)) {
    if (value) query.set(key, value);
  }
  const text = query.toString();
  return text ? `?${text}` : '';
}
