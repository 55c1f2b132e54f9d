// Why: the recorded head (audit_head) shows a cut of the newest entries only if it cannot be rewound
// along with them. From the point the signed chain says head MACs are in force (an audit.keyed or
// audit.pruned entry with `headMac`, see log.ts), the head must carry the gateway's MAC of its own
// position and hash (mac.ts signHead, a preimage no entry MAC has, so an entry's MAC copied into the
// head fails). An audit.keyed entry saying the gateway found the head without that MAC is kept on
// the chain, so the gateway's next append (which rewrites the head) does not erase the evidence.
// Residual limits, caught only by anchors kept outside the database:
// - a head row replayed from an earlier snapshot of the same database (with the log cut back to
//   that snapshot's newest entry) carries a genuine MAC (the head mark beside the database catches
//   it too, unless the mark was removed with it or had not caught up yet, head-mark.ts);
// - a tail cut back to before the entry where head MACs start leaves a chain that says they are
//   not in force (the keyed-log marker beside master.key catches that one too, keyed-marker.ts).
import type { AuditMacKey } from './mac.js';
import type { MacCheck } from './verify-macs.js';

/** The recorded head as stored (its MAC is null in databases from before head MACs). */
export interface RecordedHead {
  seq: number;
  hash: string;
  mac: string | null;
}

/** How to respond to a head that lost its MAC. */
export const HEAD_FIX =
  'compare the log with the anchors you kept outside this host (`privet audit verify --anchor <seq>:<hash>`, ' +
  'or ?anchor= on GET /audit/verify: a cut shows as an anchor past the end), keep a copy of this file for the ' +
  'investigation, restore the database from a backup that holds every entry up to your newest anchor, and ' +
  'find out who had write access to it';

const CUT =
  "entries after it may have been cut and the head rewound by someone with write access to the database but without the gateway's key";

/**
 * What is wrong with the head's MAC of a chain (and head) that verified, if anything: checked with
 * `key` where the chain says head MACs are in force and the newest entries are this key's.
 */
export function headMacProblem(
  head: RecordedHead | undefined,
  mac: MacCheck,
  key: AuditMacKey | undefined,
): { index: number; message: string } | undefined {
  if (mac.headLost !== undefined) {
    return {
      index: mac.headLost,
      message:
        `audit entry #${mac.headLost} (audit.keyed) records that the gateway found the recorded head (audit_head) ` +
        `without a valid MAC of the newest entry when it next wrote: ${CUT} (or a gateway of an older version wrote after the upgrade)`,
    };
  }
  if (!head || !key || mac.headMacFrom === undefined || mac.notUpgraded) return undefined;
  if (key.verifiesHead(head.mac, head.seq, head.hash)) return undefined;
  const what = head.mac === null ? 'carries no MAC' : 'carries no valid MAC';
  return {
    index: head.seq,
    message:
      `the recorded head (audit_head) at #${head.seq} ${what}, though the chain says the head is MACed from entry ` +
      `#${mac.headMacFrom} on: ${CUT} (or a gateway of an older version wrote after the upgrade)`,
  };
}
