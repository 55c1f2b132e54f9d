import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  approvalText,
  checkOutput,
  outputContentText,
  savedPlaceholder,
  withholdForSave,
  SAVED_PLACEHOLDER_PREFIX,
  type Finding,
  type NotebookOutput,
} from '@privet/core/review/index';

const EMAIL = 'jane.roe@example.org';

const emailResult: NotebookOutput = {
  output_type: 'execute_result',
  execution_count: 3,
  metadata: {},
  data: { 'text/plain': `'${EMAIL}'` },
};
const answer: NotebookOutput = {
  output_type: 'execute_result',
  execution_count: 4,
  metadata: {},
  data: { 'text/plain': '42' },
};

/** An nbformat-like cell (markdown cells have no outputs). */
interface CellLike {
  cell_type: string;
  source: string;
  metadata: Record<string, unknown>;
  outputs?: NotebookOutput[];
}

function notebook(...cells: NotebookOutput[][]): {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: CellLike[];
} {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3' } },
    cells: [
      { cell_type: 'markdown', source: '# notes', metadata: {} },
      ...cells.map((outputs, i) => ({
        cell_type: 'code',
        source: `cell ${i}`,
        metadata: {},
        outputs,
      })),
    ],
  };
}

const none = { context: {}, approved: () => false };

describe('withholdForSave', () => {
  test('replaces a flagged output by a placeholder naming the rule, keeps the rest', () => {
    const nb = notebook([emailResult, answer]);
    const { notebook: saved, withheld } = withholdForSave(nb, none);
    assert.equal(withheld, 1);
    const text = JSON.stringify(saved);
    assert.ok(!text.includes(EMAIL), 'the email is not written');
    assert.ok(!text.includes('jane'), 'no part of it either');
    const outputs = saved.cells[1]!.outputs as NotebookOutput[];
    assert.deepEqual(outputs[0], savedPlaceholder(['email']));
    assert.ok(JSON.stringify(outputs[0]).includes(`${SAVED_PLACEHOLDER_PREFIX}email]`));
    assert.deepEqual(outputs[1], answer);
    assert.deepEqual(saved.cells[0], nb.cells[0], 'other cells and metadata are kept');
    assert.deepEqual(saved.metadata, nb.metadata);
    // The input is not modified.
    assert.deepEqual((nb.cells[1]!.outputs as NotebookOutput[])[0], emailResult);
  });

  test('an approved output is kept: the approval is asked with its canonical content', () => {
    const asked: string[] = [];
    const { notebook: saved, withheld } = withholdForSave(notebook([emailResult]), {
      context: {},
      approved: (t) => {
        asked.push(t);
        return t === outputContentText(emailResult);
      },
    });
    assert.equal(withheld, 0);
    assert.deepEqual(asked, [outputContentText(emailResult)]);
    assert.deepEqual((saved.cells[1]!.outputs as NotebookOutput[])[0], emailResult);
  });

  test('an approved stream part is kept only after the parts it was approved after', () => {
    const part: NotebookOutput = {
      output_type: 'stream',
      name: 'stdout',
      text: 'oe@example.org\n',
    };
    const cell = (before: string): NotebookOutput[] => [
      { output_type: 'stream', name: 'stdout', text: before },
      { output_type: 'stream', name: 'stderr', text: 'warning: slow\n' },
      part,
    ];
    // A reviewer approved both parts of "write to jane.roe@example.org" as the cell printed them.
    const approvedTexts = new Set([
      approvalText({ output_type: 'stream', name: 'stdout', text: 'write to jane.r' }, ''),
      approvalText(part, 'write to jane.r'),
    ]);
    const options = { context: {}, approved: (t: string) => approvedTexts.has(t) };
    assert.equal(withholdForSave(notebook(cell('write to jane.r')), options).withheld, 0);
    // The same second part completing another address is not approved: both parts are withheld.
    const other = withholdForSave(notebook(cell('write to bob.r')), options);
    assert.equal(other.withheld, 2);
    assert.ok(!JSON.stringify(other.notebook).includes('oe@example.org'));
  });

  test('an email streamed in two chunks withholds both chunks of that stream only', () => {
    const nb = notebook([
      { output_type: 'stream', name: 'stdout', text: 'write to jane.r' },
      { output_type: 'stream', name: 'stderr', text: 'warning: slow\n' },
      { output_type: 'stream', name: 'stdout', text: 'oe@example.org\n' },
    ]);
    const { notebook: saved, withheld } = withholdForSave(nb, none);
    assert.equal(withheld, 2);
    const outputs = saved.cells[1]!.outputs as NotebookOutput[];
    assert.deepEqual(outputs[0], savedPlaceholder(['email']));
    assert.deepEqual(outputs[1], nb.cells[1]!.outputs![1]);
    assert.deepEqual(outputs[2], savedPlaceholder(['email']));
    assert.ok(!JSON.stringify(saved).includes('jane.r'));
  });

  test("a host's extra finding withholds an output the engine passed", () => {
    const finding: Finding = {
      rule: 'row-level',
      severity: 'flag',
      mime: 'text/plain',
      location: { start: 0, end: 0 },
      message: 'views unknown',
    };
    const { notebook: saved, withheld } = withholdForSave(notebook([answer]), {
      ...none,
      extraFinding: (o) => (o === answer ? finding : null),
    });
    assert.equal(withheld, 1);
    assert.deepEqual(
      (saved.cells[1]!.outputs as NotebookOutput[])[0],
      savedPlaceholder(['row-level']),
    );
  });

  test('nothing held: the notebook is returned as it is', () => {
    const nb = notebook([answer], []);
    const result = withholdForSave(nb, none);
    assert.equal(result.withheld, 0);
    assert.equal(result.notebook, nb);
  });

  test('saved widget state is never written; other metadata is kept', () => {
    const nb = {
      ...notebook([answer], []),
      metadata: {
        kernelspec: { name: 'python3' },
        widgets: {
          'application/vnd.jupyter.widget-state+json': {
            state: { w1: { model_name: 'HTMLModel', state: { value: EMAIL } } },
          },
        },
      },
    };
    const { notebook: saved } = withholdForSave(nb, none);
    assert.deepEqual(saved.metadata, { kernelspec: { name: 'python3' } });
    assert.ok(!JSON.stringify(saved).includes(EMAIL));
  });

  test('an unreadable output is withheld (fail closed)', () => {
    const broken = { output_type: 'display_data', data: 7 } as unknown as NotebookOutput;
    const { withheld } = withholdForSave(notebook([broken]), none);
    assert.equal(withheld, 1);
  });

  test('the placeholder itself passes review, so a reopened notebook shows it', () => {
    const placeholder = savedPlaceholder(['email', 'phone', 'email']);
    assert.equal(checkOutput(placeholder).verdict, 'pass');
    assert.match(
      String(placeholder.data['text/plain']),
      /^\[withheld by Privet review: rules email, phone\] .*Run the cell again/,
    );
  });
});
