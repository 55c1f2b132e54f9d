/** What to tell a steward who binds the gateway beyond loopback (undefined for loopback). */
export function exposedHostWarning(host: string): string | undefined {
  if (['127.0.0.1', '::1', 'localhost'].includes(host)) return undefined;
  return (
    `warning: --host ${host} makes the gateway reachable from other machines, and it speaks plain ` +
    'HTTP (bearer tokens in clear). Fix: keep --host 127.0.0.1 and put a TLS reverse proxy in front of it'
  );
}
