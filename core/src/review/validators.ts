/** Check-digit and range validators for direct identifiers (pure functions, digits as strings). */

/** Luhn (mod 10) check over a digit string. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** Issuer prefix and length plausibility of a payment card number (Visa, MC, Amex, etc.). */
export function cardIssuerPlausible(digits: string): boolean {
  const len = digits.length;
  const p2 = Number(digits.slice(0, 2));
  const p3 = Number(digits.slice(0, 3));
  const p4 = Number(digits.slice(0, 4));
  const p6 = Number(digits.slice(0, 6));
  if (digits[0] === '4') return len === 13 || len === 16 || len === 19; // Visa
  if (p2 >= 51 && p2 <= 55) return len === 16; // Mastercard
  if (p4 >= 2221 && p4 <= 2720) return len === 16; // Mastercard 2-series
  if (p2 === 34 || p2 === 37) return len === 15; // Amex
  if (p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649) || (p6 >= 622126 && p6 <= 622925))
    return len >= 16 && len <= 19; // Discover
  if (p4 >= 3528 && p4 <= 3589) return len >= 16 && len <= 19; // JCB
  if ((p3 >= 300 && p3 <= 305) || p2 === 36 || p2 === 38 || p2 === 39)
    return len >= 14 && len <= 19; // Diners
  if (p2 === 62) return len >= 16 && len <= 19; // UnionPay
  if (['50', '56', '57', '58', '63', '67'].includes(digits.slice(0, 2)))
    return len >= 12 && len <= 19; // Maestro
  return false;
}

/** A valid, issuable payment card number: issuer prefix, length and Luhn. */
export function cardValid(digits: string): boolean {
  return cardIssuerPlausible(digits) && luhnValid(digits);
}

/** IBAN lengths by country (ISO 13616 registry, common countries). */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BR: 29,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MR: 27,
  MT: 31,
  MU: 30,
  NL: 18,
  NO: 15,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  SA: 24,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  TN: 24,
  TR: 26,
  UA: 29,
  VG: 24,
  XK: 20,
};

/** ISO 7064 mod-97 check of an IBAN (no spaces, any case): must leave remainder 1. */
export function ibanValid(iban: string): boolean {
  const s = iban.toUpperCase();
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/.test(s)) return false;
  const expected = IBAN_LENGTHS[s.slice(0, 2)];
  if (expected !== undefined && expected !== s.length) return false;
  const moved = s.slice(4) + s.slice(0, 4);
  let rem = 0;
  for (let i = 0; i < moved.length; i++) {
    const c = moved.charCodeAt(i);
    const v = c <= 57 ? c - 48 : c - 55; // A=10 … Z=35
    rem = v >= 10 ? (rem * 100 + v) % 97 : (rem * 10 + v) % 97;
  }
  return rem === 1;
}

/** US SSN ranges: area not 000, 666 or 9xx; group not 00; serial not 0000. */
export function ssnValid(area: string, group: string, serial: string): boolean {
  if (area.length !== 3 || group.length !== 2 || serial.length !== 4) return false;
  if (area === '000' || area === '666' || area[0] === '9') return false;
  if (group === '00' || serial === '0000') return false;
  return true;
}

/** NANP plausibility of a 10-digit number: NPA [2-9][0-8]X, NXX [2-9]XX, neither N11. */
export function nanpValid(ten: string): boolean {
  if (!/^[2-9][0-8][0-9][2-9][0-9]{6}$/.test(ten)) return false;
  if (ten[1] === '1' && ten[2] === '1') return false;
  if (ten[4] === '1' && ten[5] === '1') return false;
  return true;
}

/** E.164 plausibility: 8–15 digits including a country code not starting with 0. */
export function e164Plausible(digits: string): boolean {
  if (digits.length < 8 || digits.length > 15 || digits[0] === '0') return false;
  if (digits[0] === '1') return digits.length === 11 && nanpValid(digits.slice(1));
  if (/^(.)\1+$/.test(digits)) return false;
  return true;
}

/** Dotted IPv4 address, excluding loopback, unspecified and broadcast addresses. */
export function ipv4Personal(parts: readonly string[]): boolean {
  if (parts.length !== 4) return false;
  const nums: number[] = [];
  for (const p of parts) {
    if (p.length === 0 || p.length > 3 || (p.length > 1 && p[0] === '0')) return false;
    const v = Number(p);
    if (!(v >= 0 && v <= 255)) return false;
    nums.push(v);
  }
  const [a] = nums;
  if (a === 0 || a === 127) return false;
  if (nums.every((v) => v === 255)) return false;
  return true;
}

/** A full or "::"-compressed IPv6 address with at least three groups, not loopback/unspecified. */
export function ipv6Personal(text: string): boolean {
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  if (groups.some((g) => !/^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  if (halves.length === 1 && groups.length !== 8) return false;
  if (halves.length === 2 && (groups.length > 7 || groups.length < 3)) return false;
  return groups.some((g) => /[1-9A-Fa-f]/.test(g)) && !/^(0+:)*0*:?:?0*1$/.test(text);
}

/** Days per month of a common year. */
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Calendar date plausible as a birth date (1900-01-01 .. 2030-12-31). */
export function plausibleDate(year: number, month: number, day: number): boolean {
  if (year < 1900 || year > 2030 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : (MONTH_DAYS[month - 1] ?? 0));
}

const FILE_TLDS = new Set([
  'png',
  'jpg',
  'jpeg',
  'gif',
  'svg',
  'css',
  'js',
  'py',
  'ts',
  'json',
  'txt',
  'csv',
  'html',
  'md',
  'ipynb',
  'pdf',
  'zip',
  'gz',
  'whl',
  'tar',
  'yaml',
  'yml',
  'toml',
  'lock',
  'map',
  'webp',
  'mjs',
]);

// Machine addresses that identify no person (git remotes, no-reply senders).
const SERVICE_LOCALS = new Set([
  'noreply',
  'no-reply',
  'donotreply',
  'do-not-reply',
  'mailer-daemon',
]);
const SERVICE_ADDRESSES = new Set([
  'git@github.com',
  'git@gitlab.com',
  'git@bitbucket.org',
  'git@ssh.dev.azure.com',
]);

/** Email address validation (after extraction): local part, dotted domain, alphabetic TLD. */
export function emailValid(local: string, domain: string): boolean {
  if (local.length < 1 || local.length > 64 || domain.length < 4 || domain.length > 253)
    return false;
  if (local[0] === '.' || local[local.length - 1] === '.' || local.includes('..')) return false;
  const labels = domain.split('.');
  if (labels.length < 2) return false;
  for (const l of labels) {
    if (l.length === 0 || l.length > 63 || l[0] === '-' || l[l.length - 1] === '-') return false;
  }
  const l = local.toLowerCase();
  if (SERVICE_LOCALS.has(l) || SERVICE_ADDRESSES.has(`${l}@${domain.toLowerCase()}`)) return false;
  const tld = (labels[labels.length - 1] ?? '').toLowerCase();
  return /^[a-z]{2,24}$/.test(tld) && !FILE_TLDS.has(tld);
}
