/**
 * Numeric identifiers tried at the start of a digit group: dates (kept for the date-of-birth
 * rule), IPv4, payment cards (issuer + Luhn), US SSNs (ranges), phones (E.164, NANP, or any
 * number after a phone keyword) and IBANs (country length + mod-97). Each has a cheap pre-check
 * so that digit-heavy logs cost little.
 */
import { maskDigits, maskIban, maskIp } from './mask.js';
import { matchPhone } from './phones.js';
import { digitsOf, endsNumber, isAlnum, isDigit, type IdSpan } from './scan-util.js';
import { cardValid, ibanValid, ipv4Personal, ssnValid, IBAN_LENGTHS } from './validators.js';
import { plausibleDateEnd } from './dates.js';

export { dateShaped, plausibleDateEnd } from './dates.js';

const IPV4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})/y;
const SSN = /(\d{3})([- ./]?)(\d{2})\2(\d{4})/y;
const IBAN = /[A-Za-z]{2}\d{2}(?:[ -]?[A-Za-z0-9]){11,30}/y;
const SSN_WORD =
  /(?:ssn|social security(?: number)?|soc\.? ?sec|national[ _-]?id|tin|taxpayer id)\b[^0-9\n]{0,14}$/i;

/** RFC 1918 / link-local address. */
function privateIpv4(parts: readonly string[]): boolean {
  const a = Number(parts[0]);
  const b = Number(parts[1]);
  return (
    a === 10 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254)
  );
}

const digitAt = (s: string, k: number): boolean => isDigit(s.charCodeAt(k));

const isSsnSep = (c: number): boolean => c === 45 || c === 32 || c === 46 || c === 47;

/** Exactly when SSN matches at p: ddd S dd S dddd with one separator (or none) used twice. */
export function ssnShaped(s: string, p: number): boolean {
  if (!(digitAt(s, p) && digitAt(s, p + 1) && digitAt(s, p + 2))) return false;
  const sep = s.charCodeAt(p + 3);
  if (isSsnSep(sep)) {
    return (
      digitAt(s, p + 4) &&
      digitAt(s, p + 5) &&
      s.charCodeAt(p + 6) === sep &&
      digitAt(s, p + 7) &&
      digitAt(s, p + 8) &&
      digitAt(s, p + 9) &&
      digitAt(s, p + 10)
    );
  }
  for (let k = p + 3; k < p + 9; k++) if (!digitAt(s, k)) return false;
  return true;
}

/** Exactly when IPV4 matches at p: three groups of 1–3 digits each followed by '.', then a digit. */
export function ipv4Shaped(s: string, p: number): boolean {
  let k = p;
  for (let g = 0; g < 3; g++) {
    let len = 0;
    while (len < 4 && digitAt(s, k + len)) len++;
    if (len < 1 || len > 3 || s.charCodeAt(k + len) !== 46) return false;
    k += len + 1;
  }
  return digitAt(s, k);
}

/** Tries every numeric identifier at `p`; returns the match end or -1. */
export function matchAt(
  s: string,
  p: number,
  runEnd: number,
  out: IdSpan[],
  digitCount: number,
  dates?: number[],
): number {
  const first = s.charCodeAt(p);
  if (isDigit(first)) {
    const date = digitCount >= 5 ? plausibleDateEnd(s, p) : -1;
    if (date > 0) {
      dates?.push(p, date);
      return date;
    }
    IPV4.lastIndex = p;
    let m = ipv4Shaped(s, p) ? IPV4.exec(s) : null;
    if (m !== null && endsNumber(s, IPV4.lastIndex)) {
      const after = s.slice(IPV4.lastIndex, IPV4.lastIndex + 2);
      const versionish =
        /(?:\bv|version|build|release|rev|ver|==|>=|<=|~=|@)\s*$/i.test(
          s.slice(Math.max(0, p - 12), p),
        ) || /^[-+][A-Za-z]/.test(after);
      const parts = [m[1] ?? '', m[2] ?? '', m[3] ?? '', m[4] ?? ''];
      // Private (RFC 1918, link-local) addresses name machines on a local network, not people.
      if (!versionish && !privateIpv4(parts) && ipv4Personal(parts)) {
        out.push({
          rule: 'ip-address',
          start: p,
          end: IPV4.lastIndex,
          masked: `IPv4 address ${maskIp(m[0])}`,
        });
      }
      return IPV4.lastIndex;
    }
    if (digitCount < 9) return -1;
    const card = digitCount >= 12 ? matchCard(s, p, runEnd) : -1;
    if (card > 0) {
      out.push({
        rule: 'payment-card',
        start: p,
        end: card,
        masked: `payment card ${maskDigits(digitsOf(s.slice(p, card)))}`,
      });
      return card;
    }
    SSN.lastIndex = p;
    m = ssnShaped(s, p) ? SSN.exec(s) : null;
    if (
      m !== null &&
      endsNumber(s, SSN.lastIndex) &&
      ssnValid(m[1] ?? '', m[3] ?? '', m[4] ?? '')
    ) {
      const sep = m[2] ?? '';
      if (sep !== '' || SSN_WORD.test(s.slice(Math.max(0, p - 40), p))) {
        out.push({
          rule: 'ssn',
          start: p,
          end: SSN.lastIndex,
          masked: `US SSN ***-**-**${(m[4] ?? '').slice(2)}`,
        });
        return SSN.lastIndex;
      }
    }
  }
  if (digitCount < 7) return -1;
  // A phone starts with a digit, '+' or '(' (none of matchPhone's patterns starts otherwise).
  if (!isDigit(first) && first !== 43 && first !== 40) return -1;
  const phone = matchPhone(s, p);
  if (phone > 0) {
    out.push({
      rule: 'phone',
      start: p,
      end: phone,
      masked: `phone ${maskDigits(digitsOf(s.slice(p, phone)))}`,
    });
    return phone;
  }
  return -1;
}

/** Card number of 12–19 digits in groups of 3–6 (or one block), Luhn and issuer valid. */
function matchCard(s: string, p: number, runEnd: number): number {
  let q = p;
  let digits = '';
  let best = -1;
  let groups = 0;
  while (q < runEnd && digits.length <= 19) {
    const g0 = q;
    while (q < runEnd && isDigit(s.charCodeAt(q))) q++;
    const len = q - g0;
    if (len === 0) break;
    groups++;
    if (groups > 1 && (len < 3 || len > 6)) break;
    if (groups === 2 && digits.length < 4) break;
    digits += s.slice(g0, q);
    if (digits.length >= 12 && digits.length <= 19 && endsNumber(s, q) && cardValid(digits))
      best = q;
    const c = s.charCodeAt(q);
    if (q + 1 < runEnd && (c === 32 || c === 45 || c === 46) && isDigit(s.charCodeAt(q + 1))) q++;
    else break;
  }
  if (best > 0 && groups === 1 && !endsNumber(s, best)) return -1;
  return best;
}

/** IBAN starting at `a` (two letters); returns its end or -1. */
export function iban(s: string, a: number, out: IdSpan[]): number {
  if (a > 0 && isAlnum(s.charCodeAt(a - 1))) return -1;
  IBAN.lastIndex = a;
  const m = IBAN.exec(s);
  if (m === null) return -1;
  const raw = m[0];
  const cc = raw.slice(0, 2).toUpperCase();
  const want = IBAN_LENGTHS[cc];
  // Hex ids and hashes are lowercase runs: a lowercase IBAN must be grouped in fours, or its
  // BBAN must be all digits or contain a letter beyond f.
  if (want === undefined) return -1;
  if (raw.slice(0, 2) !== cc && !/^\w{4} \w{4} /.test(raw)) {
    const bban = raw.slice(4, want).replace(/[ -]/g, '');
    if (!/^\d+$/.test(bban) && !/[g-z]/i.test(bban)) return -1; // looks like hex
  }
  // Walk the match keeping alphanumerics until the country's length (or try every length).
  let compact = '';
  for (let k = 0; k < raw.length; k++) {
    const ch = raw[k] ?? '';
    if (ch !== ' ' && ch !== '-') compact += ch;
    const len = compact.length;
    const boundary = !isAlnum(s.charCodeAt(a + k + 1));
    if ((want === undefined ? len >= 15 : len === want) && boundary && ibanValid(compact)) {
      out.push({
        rule: 'iban',
        start: a,
        end: a + k + 1,
        masked: `IBAN ${maskIban(compact.toUpperCase())}`,
      });
      return a + k + 1;
    }
    if (want !== undefined && len >= want) break;
  }
  return -1;
}
