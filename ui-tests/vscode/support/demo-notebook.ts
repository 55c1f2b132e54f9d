/**
 * The demo notebook the VS Code specs open: Privet SQL cells (masked query, in VS Code's own `sql`
 * language as older notebooks have it; DP query, a small-cell query that is flagged, a bad query
 * for the language server) and a Python cell whose saved output
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

/**
 * A code cell of `source` in `language`: Privet's own `privet-sql`, or VS Code's built-in `sql`
 * (its "MS SQL"), which notebooks written before Privet SQL had a language of its own use.
 */
function sqlCell(source: string, language = 'privet-sql'): Record<string, unknown> {
  return {
    cell_type: 'code',
    execution_count: null,
    metadata: { vscode: { languageId: language } },
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
      sqlCell(DEMO_CELLS.masked, 'sql'),
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

/**
 * nbformat v4 JSON of a notebook of Python cells for the echo kernel, one per source (no outputs
 * yet).
 */
export function echoKernelNotebook(sources: readonly string[]): string {
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { language_info: { name: 'python' } },
    cells: sources.map((source) => ({
      cell_type: 'code',
      execution_count: null,
      metadata: { vscode: { languageId: 'python' } },
      outputs: [],
      source: source.split(/(?<=\n)/),
    })),
  };
  return JSON.stringify(notebook, null, 1) + '\n';
}

/** nbformat v4 JSON of a notebook with one Python cell for the echo kernel (no outputs yet). */
export function echoNotebook(): string {
  return echoKernelNotebook([`# echo: ${ECHOED_EMAIL.replace('@', '[at]')}`]);
}

/** A harmless HTML table of 12 months of visits (no view's column): held only while views are unknown. */
export const MONTHLY_VISITS_HTML = [
  '<table><thead><tr><th>month</th><th>visits</th></tr></thead><tbody>',
  ...['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].map(
    (m, i) => `<tr><td>${m}</td><td>${1200 + i * 37}</td></tr>`,
  ),
  '</tbody></table>',
].join('\n');

/** December's figure in MONTHLY_VISITS_HTML (1200 + 11 · 37): seen only once the table is drawn. */
export const MONTHLY_TOTAL = '1607';

/** The small-count row the echo kernel's split notebook prints (its cell writes "{1+2}"). */
export const SPLIT_SMALL_ROW = 'Wsplita 3';

/**
 * nbformat v4 JSON of a notebook with one cell for the echo kernel that prints a table of ward
 * counts row by row with progress on stderr between the rows (no outputs yet).
 */
export function echoSplitNotebook(): string {
  return echoKernelNotebook([
    ['# split:', 'ward count', 'Wsplita {1+2}', 'Wsplitb {200+50}', 'Wsplitc {100+80}'].join('\n'),
  ]);
}

/** The address in the echo kernel's Markdown and LaTeX outputs (the cells say "[at]"). */
export const DISPLAYED_EMAIL = 'table.person@example.org';

/**
 * A diagnosis that appears only in the rows of a masked view another kernel displays (the cell's
 * source spells its '@' as "[at]", so only the drawn output could show it).
 */
export const DISPLAYED_ROW_MARK = 'rowmark@diagnosis';

/** An HTML table of 12 rows of patients_masked (its quasi-identifiers): row-level data. */
function maskedRowsHtml(): string {
  const rows = Array.from(
    { length: 12 },
    (_, i) =>
      `<tr><td>tok${i}a9</td><td>${30 + (i % 4) * 10}-${39 + (i % 4) * 10}</td><td>${i % 2 ? 'F' : 'M'}</td><td>02${i % 3}</td><td>${DISPLAYED_ROW_MARK.replace('@', '[at]')}</td></tr>`,
  );
  return [
    '<table><thead><tr><th>patient_id</th><th>date_of_birth</th><th>sex</th><th>zip</th><th>diagnosis</th></tr></thead><tbody>',
    ...rows,
    '</tbody></table>',
  ].join('\n');
}

/** Cells of the echo kernel's display notebook: each shows its body as the MIME type it names. */
export const DISPLAY_CELLS = {
  /**
   * Rows of a masked view (no identifier, no small count): only the views show it is row-level.
   * First, so it is on screen when drawn (the gate renderer, not the host's swap, must hold it).
   */
  maskedRows: `# display: text/html\n${maskedRowsHtml()}`,
  /** A Markdown table of raw rows with an address: held. */
  markdownTable: [
    '# display: text/markdown',
    '| name | email | age |',
    '|---|---|---|',
    `| Table Person | ${DISPLAYED_EMAIL.replace('@', '[at]')} | 41 |`,
  ].join('\n'),
  /** LaTeX whose escapes VS Code's Markdown renderer drops, so it draws the address: held. */
  latexEscaped: `# display: text/latex\ncontact ${DISPLAYED_EMAIL.replace('@', '[at]').replaceAll('.', '\\.')}`,
  /** Harmless Markdown: drawn by VS Code's Markdown renderer (a heading). */
  markdownHello: '# display: text/markdown\n# Hello from Markdown\n\nNothing to hide here.',
  /** Harmless LaTeX: drawn by VS Code's Markdown renderer with KaTeX. */
  latexFormula: '# display: text/latex\n$$\\frac{a}{b} = c$$',
  /** JSON with the address (VS Code's Markdown renderer draws JSON as a code block): held. */
  jsonEmail: `# display: application/json\n{"contact": "${DISPLAYED_EMAIL.replace('@', '[at]')}"}`,
  /** Harmless code (a text/x-python item, drawn as a highlighted code block). */
  codeHello: '# display: text/x-python\nprint("Hello from code")',
  /** An ipywidgets view: what it draws comes from kernel messages VS Code hides: held. */
  widget:
    '# display: application/vnd.jupyter.widget-view+json\n' +
    '{"model_id": "5f0c2a9e7b1d4c3a8e6f", "version_major": 2, "version_minor": 0}',
} as const;

/** nbformat v4 JSON of a notebook with the DISPLAY_CELLS for the echo kernel (no outputs yet). */
export function echoDisplayNotebook(): string {
  return echoKernelNotebook(Object.values(DISPLAY_CELLS));
}
