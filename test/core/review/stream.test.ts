import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkNotebook,
  checkOutput,
  StreamChecker,
  streamContextBefore,
} from '@privet/core/review/index';

describe('StreamChecker', () => {
  test('finds an email split over two writes, once', () => {
    const sc = new StreamChecker();
    assert.equal(sc.push('row 1 ok\nrow 2 jane.r').verdict, 'pass');
    const second = sc.push('oe@example.org done\n');
    assert.equal(second.verdict, 'block');
    assert.equal(second.findings.length, 1);
    assert.equal(second.findings[0]?.rule, 'email');
    assert.deepEqual(second.findings[0]?.location, { start: 15, end: 35 }); // offsets in the whole stream
    assert.equal(sc.push('more output\n').findings.length, 0); // not reported again
    assert.equal(sc.verdict(), 'block');
  });

  test('a card split over many one-character writes is found', () => {
    const sc = new StreamChecker();
    for (const ch of 'paid with 4111 1111 1111 1111 today') sc.push(ch);
    assert.deepEqual(
      sc.findings.map((f) => f.rule),
      ['payment-card'],
    );
  });

  test('streams are separate; the tail window stays bounded', () => {
    const sc = new StreamChecker({}, 400);
    sc.push('jane.roe@exa', 'stdout');
    sc.push('mple.org\n', 'stderr'); // different stream: no join
    assert.equal(sc.verdict(), 'pass');
    const big = 'x'.repeat(100_000);
    for (let i = 0; i < 50; i++) sc.push(big);
    // What a chunk is checked with is the kept tail plus the chunk: at most the 400-char window.
    assert.equal(sc.push('y').redactedPreview.length, 401, 'the tail kept is bounded');
    sc.push('john@exa');
    assert.equal(sc.push('mple.com').verdict, 'block');
  });

  test('a table printed row by row, or header then rows, is checked like the whole table', () => {
    const views = [
      {
        name: 'patients_masked',
        tier: 'masked' as const,
        quasiIdentifiers: ['date_of_birth', 'sex', 'zip'],
        columns: ['patient_id', 'email', 'date_of_birth', 'sex', 'zip', 'diagnosis', 'visits'],
      },
    ];
    const ages = ['30-39', '40-49', '50-59', '20-29'];
    const rows = Array.from(
      { length: 15 },
      (_, i) =>
        `${String(i).padEnd(3)} ${ages[i % 4]}         ${i % 2 ? 'F' : 'M'}  ${940 + (i % 3)}  asthma     ${(i % 7) + 1}\n`,
    );
    const header = '    date_of_birth sex  zip  diagnosis  visits\n';
    const ctx = { mode: 'display' as const, viewsUsed: views };
    const rules = (sc: StreamChecker): string[] =>
      [...new Set(sc.findings.map((f) => f.rule))].sort();
    const whole = new StreamChecker(ctx);
    whole.push(header + rows.join(''));
    assert.deepEqual(rules(whole), ['row-level', 'small-cell']);
    const byRow = new StreamChecker(ctx);
    for (const line of [header, ...rows]) byRow.push(line);
    assert.deepEqual(rules(byRow), rules(whole));
    const headerFirst = new StreamChecker(ctx);
    headerFirst.push(header);
    headerFirst.push(rows.join(''));
    assert.deepEqual(rules(headerFirst), rules(whole));
    // Each table cell is reported once, however many chunks re-read it.
    const cells = (sc: StreamChecker): string[] =>
      sc.findings.filter((f) => f.rule === 'small-cell').map((f) => JSON.stringify(f.location));
    assert.equal(cells(byRow).length, new Set(cells(byRow)).size);
  });

  test('small counts in a crosstab printed one line at a time are found', () => {
    const sc = new StreamChecker();
    for (const line of ['sex     F    M\n', 'city\n', 'Lyon   40   2\n', 'Oslo   55  61\n'])
      sc.push(line);
    assert.ok(sc.findings.some((f) => f.rule === 'small-cell'));
    assert.equal(sc.verdict(), 'flag');
  });

  test('checkNotebook joins stream outputs of a cell and checks every output', () => {
    const nb = {
      cells: [
        { cell_type: 'markdown' },
        {
          cell_type: 'code',
          outputs: [
            { output_type: 'stream', name: 'stdout', text: 'contact: +44 20 79' },
            { output_type: 'stream', name: 'stdout', text: '46 0958\n' },
            { output_type: 'execute_result', data: { 'text/plain': '42' } },
          ],
        },
      ],
    };
    const r = checkNotebook(nb);
    assert.equal(r.verdict, 'block');
    assert.deepEqual(
      r.outputs.map((o) => [o.cell, o.output, o.result.verdict]),
      [
        [1, 0, 'pass'],
        [1, 1, 'block'],
        [1, 2, 'pass'],
      ],
    );
    // nbformat multiline text (list of lines) is joined before checking.
    assert.equal(
      checkOutput({ output_type: 'stream', name: 'stdout', text: ['john.doe@exa', 'mple.com\n'] })
        .verdict,
      'block',
    );
  });
});

describe('stream outputs split by another stream', () => {
  // A stderr write between two stdout writes makes three outputs: stdout, stderr, stdout.
  const split = [
    { output_type: 'stream', name: 'stdout', text: 'ward count\n' },
    { output_type: 'stream', name: 'stderr', text: 'progress 1\n' },
    { output_type: 'stream', name: 'stdout', text: 'A 3\n' },
    { output_type: 'stream', name: 'stderr', text: 'progress 2\n' },
    { output_type: 'stream', name: 'stdout', text: 'B 250\nC 180\n' },
  ];

  test('a part checked alone passes; with the earlier parts of its stream it is held', () => {
    assert.equal(new StreamChecker().push('A 3\n').verdict, 'pass');
    assert.equal(streamContextBefore(split, 2, 'stdout'), 'ward count\n');
    assert.equal(streamContextBefore(split, 3, 'stderr'), 'progress 1\n');
    assert.equal(streamContextBefore(split, 0, 'stdout'), '');
    const checker = new StreamChecker({ mode: 'display' });
    checker.prime(streamContextBefore(split, 2, 'stdout'), 'stdout');
    assert.equal(checker.findings.length, 0);
    const part = checker.push('A 3\n', 'stdout');
    assert.equal(part.verdict, 'flag');
    assert.deepEqual(
      part.findings.map((f) => f.rule),
      ['small-cell'],
    );
  });

  test('priming reports nothing of its own, and the context is bounded at a line start', () => {
    const checker = new StreamChecker();
    checker.prime('mail jane.roe@example.org\n');
    assert.equal(checker.verdict(), 'pass');
    assert.equal(checker.push('nothing else\n').findings.length, 0);
    const long = Array.from({ length: 3000 }, (_, i) => ({
      output_type: 'stream',
      name: 'stdout',
      text: `line ${i} of the log\n`,
    }));
    const context = streamContextBefore(long, long.length, 'stdout');
    assert.ok(context.length <= 16_384 && context.length > 15_000, `${context.length}`);
    assert.ok(context.startsWith('line '));
    assert.ok(context.endsWith('line 2999 of the log\n'));
    // nbformat multiline text is joined.
    const lines = [{ output_type: 'stream', name: 'stdout', text: ['a\n', 'b\n'] }];
    assert.equal(streamContextBefore(lines, 1, 'stdout'), 'a\nb\n');
  });
});

describe('hostile inputs stay linear', () => {
  // No wall-clock assertion (speed targets live in bench/): a super-linear pattern on 200,000
  // characters runs for minutes, which the test's time limit turns into a failure.
  test('pathological markup, spacing and digit runs finish', { timeout: 60_000 }, () => {
    const big = 200_000;
    const inputs: string[] = [
      '<a'.repeat(big / 2),
      `x [at] y${' '.repeat(big)}`,
      '1'.repeat(big),
      '@a'.repeat(big / 2),
      `${'ab+/'.repeat(big / 4)} dot com at x dot org`,
      '<!--'.repeat(big / 4),
      '12:'.repeat(big / 3),
      '4111 '.repeat(big / 5),
    ];
    for (const text of inputs) {
      const result = checkOutput({
        output_type: 'display_data',
        data: { 'text/html': text, 'text/plain': text },
      });
      assert.ok(['pass', 'flag', 'block'].includes(result.verdict), text.slice(0, 12));
    }
  });
});
