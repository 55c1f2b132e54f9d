/**
 * The demo notebook the VS Code specs open: Privet SQL cells (masked query, DP query, a small-cell
 * query that is flagged, a bad query for the language server) and a Python cell whose saved output
 * (written by another kernel) carries an e-mail address and must be replaced on open.
 */

/** Sources of the demo cells, by role. */
export const DEMO_CELLS = {
  masked: 'SELECT sex, COUNT(*) AS patients FROM patients_masked GROUP BY sex ORDER BY sex',
  dp: '-- privet: epsilon=0.25\nSELECT sex, COUNT(*) AS n FROM patients_dp GROUP BY sex',
  // Seven rows split by sex: every count is below the small-cell threshold (10), so it is flagged.
  flagged: 'SELECT sex, COUNT(*) AS n FROM (SELECT * FROM patients_masked LIMIT 7) GROUP BY sex',
  bad: 'SELECT diagnosis_code FROM patients_masked',
} as const;

/** The e-mail address in the Python cell's saved output (must never be shown). */
export const LEAKED_EMAIL = 'jane.roe@example.org';

function sqlCell(source: string): Record<string, unknown> {
  return {
    cell_type: 'code',
    execution_count: null,
    metadata: { vscode: { languageId: 'sql' } },
    outputs: [],
    source: source.split(/(?<=\n)/),
  };
}

/** nbformat v4 JSON of the demo notebook. */
export function demoNotebook(): string {
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { language_info: { name: 'sql' } },
    cells: [
      sqlCell(DEMO_CELLS.masked),
      sqlCell(DEMO_CELLS.dp),
      sqlCell(DEMO_CELLS.flagged),
      sqlCell(DEMO_CELLS.bad),
      {
        cell_type: 'code',
        execution_count: 1,
        metadata: { vscode: { languageId: 'python' } },
        outputs: [{ output_type: 'stream', name: 'stdout', text: [`contact: ${LEAKED_EMAIL}\n`] }],
        source: ['print("contact:", df.email[0])'],
      },
    ],
  };
  return JSON.stringify(notebook, null, 1) + '\n';
}

/** The address the echo kernel prints (its cell says "[at]", so only the output holds it). */
export const ECHOED_EMAIL = 'echo.person@example.org';

/** nbformat v4 JSON of a notebook with one Python cell for the echo kernel (no outputs yet). */
export function echoNotebook(): string {
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { language_info: { name: 'python' } },
    cells: [
      {
        cell_type: 'code',
        execution_count: null,
        metadata: { vscode: { languageId: 'python' } },
        outputs: [],
        source: [`# echo: ${ECHOED_EMAIL.replace('@', '[at]')}`],
      },
    ],
  };
  return JSON.stringify(notebook, null, 1) + '\n';
}
