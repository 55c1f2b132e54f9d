// Why: the hash chain shows an edit only to someone who trusts the hashes; whoever can write the
// database can recompute them all. The MACs (mac.ts) need the key, so once the chain verified, each
// entry from the point the log was keyed on must carry a MAC, and each MAC made with this host's
// key must match. Entries before that point (written by a gateway without keyed entries) carry
// none: they are vouched for by the hash chain and anchors only, which the report says. A MAC of
// another key id is legitimate only from an `audit.keyed` entry on (master.key was replaced): those
// entries cannot be checked here and are named, but only before this host's key first appears (a
// key id after it was made up); a log whose newest entries are not this key's is not upgraded yet
// (the gateway records its key at start), never silently passed.
// The walk also notes where the chain says head MACs are in force (the newest audit.keyed or
// audit.pruned entry says `headMac`), and any audit.keyed entry recording that the gateway found
// the head without its MAC; verify-head.ts judges the head with both.
import type { AuditEntry } from '@privet/core/record/index';
import { AUDIT_KEYED, HEAD_MAC_DETAIL, parseMac, type AuditMacKey } from './mac.js';
import type { AuditRow } from './rows.js';

/** A finding: the entry it is about, what it means, and how to respond. */
export interface MacFinding {
  index: number;
  message: string;
  fix: string;
}

/** What the MAC walk found once every entry was pushed. */
export interface MacCheck {
  /** An entry whose MAC shows it was written without the key (TAMPERED). */
  forged?: MacFinding;
  /** The newest entries are not keyed with this host's key (NOT UPGRADED). */
  notUpgraded?: MacFinding;
  /** One sentence on what the MACs cover, for the report. */
  summary: string;
  /** The entry from which the chain says the head carries a MAC (undefined: not in force). */
  headMacFrom?: number;
  /** An audit.keyed entry recording that the gateway found the head without a valid MAC. */
  headLost?: number;
  /** The first kept entry, and the first carrying a MAC with its key id (keyed-marker.ts). */
  first?: number;
  keyedFrom?: number;
  keyedFromKeyId?: string;
}

const FORGED_FIX =
  'stop the gateway, keep a copy of this file for the investigation, restore the database from a ' +
  'backup taken before that entry (compare the two), find out who had write access to it, and keep ' +
  'the anchor each intact check prints somewhere off this host';
const WITHOUT_KEY = "by someone with write access to the database but without the gateway's key";
const START_FIX =
  'start the gateway once with this version (`privet serve`, or any `privet experiment` command on ' +
  'this --state), which records the key in an audit.keyed entry, then verify again';

/** Checks the MACs of the entries of a verified chain, in order. */
export class MacWalker {
  private readonly key: AuditMacKey | undefined;
  private first: number | undefined;
  private last = -1;
  private keyedFrom: number | undefined;
  private segmentKey: string | undefined;
  private segmentFrom = 0;
  private readonly foreign: { from: number; to: number; keyId: string }[] = [];
  private forged: MacFinding | undefined;
  private keyedFromKeyId: string | undefined;
  private headMacFrom: number | undefined;
  private headLost: number | undefined;
  /** The first entry whose MAC verified under this host's key. */
  private hostKeyFrom: number | undefined;

  /** Without a key only the MACs' presence and form are checked (the report says so). */
  constructor(key: AuditMacKey | undefined) {
    this.key = key;
  }

  /** Checks one entry whose hash and link already verified. */
  push(row: AuditRow, entry: AuditEntry): void {
    if (this.forged) return;
    const n = entry.seq;
    this.first ??= n;
    this.last = n;
    const fail = (what: string): void => {
      this.forged = { index: n, message: `audit entry #${n} ${what}`, fix: FORGED_FIX };
    };
    const mac = row.mac ?? null;
    const keyed = entry.action === (AUDIT_KEYED as string);
    if (mac === null) {
      if (this.keyedFrom !== undefined)
        fail(
          `has a valid hash chain but no MAC, though the log is keyed from entry #${this.keyedFrom} on — it was written ${WITHOUT_KEY} (or by a gateway of an older version still running after the upgrade)`,
        );
      else if (keyed)
        fail(
          `is an audit.keyed entry without a MAC, and the gateway MACs every one it writes — the log's MACs were stripped ${WITHOUT_KEY}`,
        );
      return;
    }
    const parsed = parseMac(mac);
    if (!parsed) return fail(`has a malformed MAC — it was edited ${WITHOUT_KEY}`);
    if (this.keyedFrom === undefined && n !== this.first && !keyed) {
      return fail(
        'is the first entry with a MAC, but MACs start only at the start of the log or at an audit.keyed entry — it was forged',
      );
    }
    if (this.segmentKey !== undefined && parsed.keyId !== this.segmentKey && !keyed) {
      return fail(
        `carries a MAC of key id ${parsed.keyId}, but entry #${n - 1} one of ${this.segmentKey}, and no audit.keyed entry records a change of key — it was forged`,
      );
    }
    if (keyed && entry.details['keyId'] !== parsed.keyId) {
      return fail('is an audit.keyed entry whose MAC is not of the key it names — it was forged');
    }
    if (this.keyedFrom === undefined) {
      this.keyedFrom = n;
      this.keyedFromKeyId = parsed.keyId;
    }
    if (keyed || entry.action === 'audit.pruned') {
      this.headMacFrom = entry.details[HEAD_MAC_DETAIL] === true ? n : undefined;
    }
    if (keyed && typeof entry.details['head'] === 'string') this.headLost ??= n;
    if (parsed.keyId !== this.segmentKey) this.segmentFrom = n;
    this.segmentKey = parsed.keyId;
    if (!this.key) return;
    if (parsed.keyId === this.key.id) {
      this.hostKeyFrom ??= n;
      if (!this.key.verifies(mac, entry.hash))
        fail(
          `has a valid hash chain but a wrong MAC for this gateway's key — it was written or rewritten ${WITHOUT_KEY}`,
        );
      return;
    }
    // Keys follow one another: once an entry verified under this host's key, a later entry of
    // another key id cannot come from an earlier master key. Forged (an audit.keyed entry naming
    // a made-up key, then entries MACed with it), unless master.key was switched away and back.
    if (this.hostKeyFrom !== undefined) {
      return fail(
        `carries a MAC of key id ${parsed.keyId}, after entry #${this.hostKeyFrom} carried one of this host's key (id ${this.key.id}) — keys replace one another in order, so it was forged ${WITHOUT_KEY} (or master.key was switched away and back: then check these entries with that other key's backup)`,
      );
    }
    const open = this.foreign.at(-1);
    if (open && open.to === n - 1 && open.keyId === parsed.keyId) open.to = n;
    else this.foreign.push({ from: n, to: n, keyId: parsed.keyId });
  }

  /** What the walk found (call once, after the last entry). */
  finish(): MacCheck {
    if (this.forged) return { forged: this.forged, summary: '' };
    const first = this.first;
    if (first === undefined) return { summary: 'no entries to MAC-check', ...this.keying() };
    if (!this.key) {
      return {
        summary:
          "MACs not checked: this check ran without the gateway's key (there is no master.key beside the database, or hashes alone were asked for), so the entries are vouched for by the hash chain and anchors only",
        ...this.keying(),
      };
    }
    const keyedFrom = this.keyedFrom;
    if (keyedFrom === undefined) {
      return {
        notUpgraded: {
          index: first,
          message:
            'no audit entry carries a MAC: the log was last written by a gateway without keyed audit entries (if a gateway of this version already wrote to it, its keyed entries were stripped — treat it as tampered)',
          fix: START_FIX,
        },
        summary: '',
        ...this.keying(),
      };
    }
    if (this.segmentKey !== this.key.id) {
      return {
        notUpgraded: {
          index: this.segmentFrom,
          message:
            `entries #${this.segmentFrom}…#${this.last} carry MACs of another master key (id ${this.segmentKey ?? 'none'}), ` +
            `not this host's (id ${this.key.id}): master.key was replaced after the gateway last wrote, or these entries were forged ${WITHOUT_KEY}`,
          fix: `if master.key was replaced on purpose, ${START_FIX}; if it was not, ${FORGED_FIX}`,
        },
        summary: '',
        ...this.keying(),
      };
    }
    const parts = [`MACs checked with this host's key (id ${this.key.id})`];
    if (keyedFrom > first) {
      parts.push(
        `entries #${first}…#${keyedFrom - 1} predate keying (the log was keyed at entry #${keyedFrom}) and carry no MAC: ` +
          `they are protected by the hash chain and anchors only (a change made to them before the upgrade cannot be told from the original; one made since breaks entry #${keyedFrom}'s MAC)`,
      );
    }
    for (const f of this.foreign) {
      parts.push(
        `entries #${f.from}…#${f.to} carry MACs of an earlier master key (id ${f.keyId}) and were not MAC-checked: ` +
          `they are protected by the hash chain and anchors only (if master.key was not replaced at entry #${f.to + 1}, they were forged)`,
      );
    }
    parts.push(
      this.headMacFrom === undefined
        ? 'the recorded head (audit_head) carries no MAC yet, so a cut of the newest entries with the head rewound is caught only by anchors until a gateway of this version opens the log'
        : `the recorded head's MAC checked (in force from entry #${this.headMacFrom})`,
    );
    return { summary: parts.join('; '), ...this.keying() };
  }

  /** What the walk saw of the log's keying (for the head and marker checks). */
  private keying(): Omit<MacCheck, 'summary'> {
    const seen = {
      first: this.first,
      keyedFrom: this.keyedFrom,
      keyedFromKeyId: this.keyedFromKeyId,
      headMacFrom: this.headMacFrom,
      headLost: this.headLost,
    };
    return Object.fromEntries(Object.entries(seen).filter(([, v]) => v !== undefined));
  }
}
