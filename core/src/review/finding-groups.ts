/**
 * Why: one output is read several ways — an SVG as markup, as drawn text and as written; a plotly
 * figure's strings and the text it draws — and each reading reports what it finds, so a reviewer
 * would read one sentence's "count stated in text" three times. For display, findings with the
 * same rule, severity, message and part are shown once, naming every reading and how many.
 */
import type { Finding } from './types.js';

/** Findings shown as one: the first of them, the readings in its `mime`, and how many there were. */
export interface FindingGroup extends Finding {
  /** How many findings the group stands for (1: a finding alone). */
  count: number;
}

/** The part a finding's `mime` names and the reading after it: "image/svg+xml (SVG text)". */
function partAndReading(mime: string): [string, string] {
  const open = mime.indexOf(' (');
  if (open < 0 || !mime.endsWith(')')) return [mime, ''];
  return [mime.slice(0, open), mime.slice(open + 2, -1)];
}

/**
 * `findings` in their order, those with the same rule, severity, message and part merged into the
 * first: its `mime` names the part and, when they differ, every reading ("text" for the part read
 * as a whole), and `count` how many findings it stands for. Never adds text of the output.
 */
export function groupFindings(findings: readonly Finding[]): FindingGroup[] {
  const groups = new Map<
    string,
    { first: Finding; part: string; readings: string[]; count: number }
  >();
  for (const f of findings) {
    const [part, reading] = partAndReading(f.mime);
    const key = JSON.stringify([f.rule, f.severity, f.message, part]);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { first: f, part, readings: [reading], count: 1 });
    else {
      group.count += 1;
      if (!group.readings.includes(reading)) group.readings.push(reading);
    }
  }
  return [...groups.values()].map(({ first, part, readings, count }) => ({
    ...first,
    mime:
      readings.length === 1
        ? first.mime
        : `${part} (${readings.map((r) => (r === '' ? 'text' : r)).join(', ')})`,
    count,
  }));
}
