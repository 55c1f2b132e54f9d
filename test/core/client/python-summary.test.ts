/**
 * The summary line a "load view" cell prints (core client/view-query.ts pythonSummaryLine), run in
 * a real Python: it names the view and says rows and columns, and a view name is printed as text,
 * never evaluated (inside an f-string, `{…}` would run code).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pythonIdentifier, pythonSummaryLine } from '@privet/core/client/view-query';
import { noProxyEnv, PYTHON, runPython } from '../../python-run.js';

/** Runs the summary line after defining `variable` as a list-like with two columns. */
async function summary(view: string): Promise<{ status: number | null; out: string }> {
  const variable = pythonIdentifier(view);
  const setup = [
    'class Frame(list):',
    '    columns = ["age", "sex"]',
    `${variable} = Frame(range(1234))`,
  ].join('\n');
  const run = await runPython(
    PYTHON!,
    ['-c', `${setup}\n${pythonSummaryLine(view, variable)}`],
    noProxyEnv(),
  );
  return { status: run.status, out: run.stdout + run.stderr };
}

describe('pythonSummaryLine', { skip: PYTHON ? false : 'no python3' }, () => {
  test('says the view, its rows and columns', async () => {
    const { status, out } = await summary('people_masked');
    assert.equal(status, 0, out);
    assert.equal(out, 'Loaded people_masked as people_masked: 1,234 rows; columns: age, sex\n');
  });

  test('prints a name with braces and quotes as text instead of running it', async () => {
    const hostile = `x{print(chr(82) + chr(65) + chr(78))}"'\\`;
    const { status, out } = await summary(hostile);
    assert.equal(status, 0, out);
    const variable = pythonIdentifier(hostile);
    assert.equal(out, `Loaded ${hostile} as ${variable}: 1,234 rows; columns: age, sex\n`);
    assert.doesNotMatch(out, /RAN/, 'the code in the braces did not run');
  });
});
