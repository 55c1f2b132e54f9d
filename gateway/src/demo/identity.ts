/**
 * Direct identifiers of demo patients: names, emails derived from the names, US phone numbers and
 * SSN-format national ids. Emails, phones and national ids are unique across the dataset (a
 * collision is redrawn or numbered), because the masking and leak-detection tests rely on it.
 */
import { Weighted, type DemoRandom } from './random.js';

const MAIL_DOMAINS = new Weighted(
  [
    'gmail.com',
    'yahoo.com',
    'outlook.com',
    'hotmail.com',
    'icloud.com',
    'aol.com',
    'comcast.net',
    'verizon.net',
  ],
  [40, 15, 12, 8, 12, 4, 5, 4],
);

/** Draws unique identifiers; one instance per dataset. */
export class IdentityFactory {
  private readonly emails = new Set<string>();
  private readonly phones = new Set<string>();
  private readonly nationalIds = new Set<string>();

  constructor(private readonly random: DemoRandom) {}

  /** A first and last name matching the sex. */
  name(sex: 'F' | 'M'): { first: string; last: string } {
    const { person } = this.random.faker;
    return { first: person.firstName(sex === 'F' ? 'female' : 'male'), last: person.lastName() };
  }

  /** A unique email built from the name, e.g. `maria.lopez@gmail.com`, `mlopez7@yahoo.com`. */
  email(first: string, last: string, birthYear: number): string {
    const f = slug(first) || 'x';
    const l = slug(last) || 'y';
    const style = this.random.int(0, 4);
    const local =
      style === 0
        ? `${f}.${l}`
        : style === 1
          ? `${f}${l}`
          : style === 2
            ? `${f[0]}${l}`
            : style === 3
              ? `${f}_${l}`
              : `${f}.${l}${birthYear % 100}`;
    const domain = MAIL_DOMAINS.sample(this.random);
    let candidate = `${local}@${domain}`;
    for (let n = 2; this.emails.has(candidate); n++) candidate = `${local}${n}@${domain}`;
    this.emails.add(candidate);
    return candidate;
  }

  /** A unique NANP phone number `ddd-ddd-dddd` in one of the area codes (no 555, no N11). */
  phone(areaCodes: readonly string[]): string {
    for (let attempt = 0; attempt < 1000; attempt++) {
      const area = areaCodes[this.random.int(0, areaCodes.length - 1)]!;
      const exchange = this.random.int(200, 999);
      if (exchange === 555 || exchange % 100 === 11) continue;
      const line = String(this.random.int(0, 9999)).padStart(4, '0');
      const phone = `${area}-${exchange}-${line}`;
      if (this.phones.has(phone)) continue;
      this.phones.add(phone);
      return phone;
    }
    throw new Error('demo data: could not draw a unique phone number; generate fewer patients');
  }

  /**
   * A unique SSN-format id `ddd-dd-dddd` in the valid ranges: area 001–899 except 666, group
   * 01–99, serial 0001–9999.
   */
  nationalId(): string {
    for (let attempt = 0; attempt < 1000; attempt++) {
      const area = this.random.int(1, 899);
      if (area === 666) continue;
      const group = this.random.int(1, 99);
      const serial = this.random.int(1, 9999);
      const id = `${pad(area, 3)}-${pad(group, 2)}-${pad(serial, 4)}`;
      if (this.nationalIds.has(id)) continue;
      this.nationalIds.add(id);
      return id;
    }
    throw new Error('demo data: could not draw a unique national id; generate fewer patients');
  }
}

function slug(s: string): string {
  return s
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
