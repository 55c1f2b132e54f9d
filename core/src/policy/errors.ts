/** Where in a policy file something is, 1-based. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

/** One problem found in a policy: what, where, and how to fix it. */
export interface PolicyIssue {
  /** Dotted path of the offending key, e.g. `views.people_masked.columns.email`. */
  path: string;
  message: string;
  fix: string;
  position: SourcePosition;
}

/** Thrown when a policy cannot be used; carries every issue found, each with file:line:column. */
export class PolicyError extends Error {
  readonly issues: readonly PolicyIssue[];

  constructor(issues: readonly PolicyIssue[]) {
    super(issues.map(formatPolicyIssue).join('\n'));
    this.name = 'PolicyError';
    this.issues = issues;
  }
}

/** Formats an issue as `file:line:col: path: message. Fix: …` (compiler style, clickable in editors). */
export function formatPolicyIssue(issue: PolicyIssue): string {
  const { file, line, column } = issue.position;
  const where = issue.path === '' ? '' : `${issue.path}: `;
  return `${file}:${line}:${column}: ${where}${issue.message}. Fix: ${issue.fix}`;
}
