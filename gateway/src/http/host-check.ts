// Why: DNS rebinding. A web page on attacker.example can make its own name resolve to 127.0.0.1;
// the browser then sends the page's requests to the gateway as same-origin requests (no CORS
// check) with `Host: attacker.example`, and lets the page read the answers (/health names the
// policy, /exports/public-key answers too). The gateway therefore answers only requests whose Host
// names it: the loopback names, the address it is bound to, and the names a steward configured.
// A Host that is an IP address cannot come from a rebound name, so a gateway bound to every
// interface (0.0.0.0, ::) accepts any IP address (its own, or one a NAT or container maps to it).
import { isIPv4, isIPv6 } from 'node:net';
import { HttpError } from './errors.js';

/** The names a gateway on a loopback address answers to (with any port). */
export const LOOPBACK_HOSTNAMES: readonly string[] = ['127.0.0.1', 'localhost', '[::1]'];

const LOOPBACK_BINDS = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);
const WILDCARD_BINDS = new Set(['0.0.0.0', '::', '[::]']);
/** A Host header: a name or IPv4 address, or a bracketed IPv6 address, then an optional port. */
const HOST_HEADER = /^(?:[A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\])(?::\d{0,5})?$/;

/** Which Host names a gateway answers to. */
export interface HostRule {
  /** Host names (lower case, IPv6 in brackets, no port) accepted as they are. */
  names: ReadonlySet<string>;
  /** Accept any IP address as the Host (bound to every interface). */
  anyAddress: boolean;
}

/** `host` as a URL would hold it (lower case, IPv6 in brackets and shortened), or undefined. */
function normalized(host: string): string | undefined {
  if (!HOST_HEADER.test(host)) return undefined;
  try {
    return new URL(`http://${host}/`).hostname || undefined;
  } catch {
    return undefined;
  }
}

/** Whether a normalized host name is an IP address (IPv4, or IPv6 in brackets). */
function isAddress(hostname: string): boolean {
  return isIPv4(hostname) || (hostname.startsWith('[') && isIPv6(hostname.slice(1, -1)));
}

/**
 * The host name a configured entry names (lower case; `::1` and `[::1]` alike), or throws an
 * Error that says how to fix it: an entry is a name or address without scheme, port or path.
 */
export function allowedHostname(entry: string): string {
  const text = entry.trim();
  const bracketed = isIPv6(text) ? `[${text}]` : text;
  const hostname = /:\d*$/.test(bracketed) ? undefined : normalized(bracketed);
  if (!hostname)
    throw new Error(
      `the allowed host ${JSON.stringify(entry)} is not a host name or IP address. Fix: give ` +
        'names as they appear in the gateway URL, without scheme, port or path (e.g. ' +
        '--allowed-hosts privet.example.org,10.0.0.5)',
    );
  return hostname;
}

/**
 * Which Host names a gateway bound to `listenHost` answers to: the loopback names always (a
 * port-forward or a proxy on the machine addresses it so), the bound address, and `allowedHosts`
 * (a reverse proxy's name); bound to every interface, any IP address too.
 */
export function hostRule(listenHost: string, allowedHosts: readonly string[] = []): HostRule {
  const names = new Set(LOOPBACK_HOSTNAMES);
  const bind = listenHost.trim().toLowerCase();
  const anyAddress = WILDCARD_BINDS.has(bind);
  if (!anyAddress && !LOOPBACK_BINDS.has(bind)) names.add(allowedHostname(bind));
  for (const entry of allowedHosts) names.add(allowedHostname(entry));
  return { names, anyAddress };
}

/** Whether a request's Host header (undefined when it sent none) names this gateway. */
export function answersTo(rule: HostRule, host: string | undefined): boolean {
  const hostname = host === undefined ? undefined : normalized(host);
  if (hostname === undefined) return false;
  return rule.names.has(hostname) || (rule.anyAddress && isAddress(hostname));
}

/** The 421 refusal of a request whose Host the gateway does not answer to (never quoting it). */
export function misdirectedHost(host: string | undefined): HttpError {
  return new HttpError(
    'bad_request',
    host === undefined
      ? 'the request has no Host header, so the gateway cannot tell it is addressed to it'
      : 'the request is addressed (Host header) to a name this gateway does not answer to, as a ' +
          'web page using DNS rebinding would send it',
    'call the gateway at http://127.0.0.1:PORT or http://localhost:PORT (or the address it is ' +
      'bound to); to reach it under another name (a reverse proxy), a steward starts it with ' +
      '--allowed-hosts NAME (or PRIVET_ALLOWED_HOSTS)',
  );
}
