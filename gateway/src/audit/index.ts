/** Audit: the append-only, hash-chained audit log and its verification. */
export { AuditLog, hashEntrySync, type AuditLogOptions } from './log.js';
export { AuditMacKey, AUDIT_KEYED, auditMacKeyForDb, parseMac, type ParsedMac } from './mac.js';
export { rowToEntry, type AuditRow } from './rows.js';
export {
  verifyAuditDb,
  verifyAuditConnection,
  formatAuditReport,
  auditExitCode,
  auditVerdict,
  type AuditReport,
  type AuditVerifyOptions,
} from './verify.js';
export { parseAnchor, formatAnchor, ANCHOR_FORM } from './anchors.js';
export { ensureAuditSchema } from './schema.js';
export { openDurableDb, immediate, type Db, type OpenDbOptions } from './sqlite.js';
export { ServiceError } from './service-error.js';
