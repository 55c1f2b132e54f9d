/** Masks sensitive values for messages, so a finding never repeats the value in full. */

/** `john.doe@example.com` → `j***@e***.com`. */
export function maskEmail(local: string, domain: string): string {
  const dot = domain.lastIndexOf('.');
  const tld = dot >= 0 ? domain.slice(dot) : '';
  return `${local.slice(0, 1)}***@${domain.slice(0, 1)}***${tld}`;
}

/** Keeps only the last two digits: `4111111111111111` → `**************11`. */
export function maskDigits(digits: string): string {
  if (digits.length <= 2) return '**';
  return '*'.repeat(Math.min(digits.length - 2, 17)) + digits.slice(-2);
}

/** Keeps the country code and last two characters of an IBAN. */
export function maskIban(iban: string): string {
  return `${iban.slice(0, 2)}${'*'.repeat(Math.max(iban.length - 4, 2))}${iban.slice(-2)}`;
}

/** Keeps the first group of an IP address. */
export function maskIp(ip: string): string {
  const v4 = ip.indexOf('.') >= 0;
  const first = ip.split(v4 ? '.' : ':')[0] ?? '';
  return v4 ? `${first}.*.*.*` : `${first}:****:…`;
}

/** Replacement text for a redacted span in the preview. */
export function redactionLabel(rule: string): string {
  return `[REDACTED ${rule}]`;
}
