/**
 * The demo notebook `npm start` writes (scripts/demo-notebook.mjs): nbformat 4.5 with cell ids and
 * the kernel's language_info (JupyterLab adds either when missing and shows the notebook as
 * changed), language_info read from the interpreter's ipykernel (null when it cannot say), and a
 * notebook already there is never overwritten. The UI test demo-notebook.spec.ts opens it.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: { id?: string; cell_type: string }[];
}
interface DemoNotebookScript {
  kernelLanguageInfo(python: string): Record<string, unknown> | null;
  demoNotebook(languageInfo: Record<string, unknown> | null): Notebook;
  writeDemoNotebook(file: string, languageInfo: Record<string, unknown> | null): boolean;
}

// Plain ESM JavaScript next to the scripts; imported by URL, typed here.
const script = (await import(
  new URL('../../scripts/demo-notebook.mjs', import.meta.url).href
)) as DemoNotebookScript;

const dir = mkdtempSync(join(tmpdir(), 'privet-demo-notebook-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** An executable standing in for python: runs `body` as a shell script. */
function fakePython(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

const INFO = { name: 'python', version: '3.11.7', mimetype: 'text/x-python' };

describe('the demo notebook', () => {
  it('is nbformat 4.5 with an id on every cell and the given language_info', () => {
    const notebook = script.demoNotebook(INFO);
    assert.equal(notebook.nbformat, 4);
    assert.equal(notebook.nbformat_minor, 5);
    assert.ok(notebook.cells.length >= 2);
    for (const cell of notebook.cells) assert.match(cell.id ?? '', /^[a-zA-Z0-9-_]{1,64}$/);
    assert.deepEqual(notebook.metadata.language_info, INFO);
    assert.deepEqual(notebook.metadata.privet, { experiment: 'demo' });
    assert.equal('language_info' in script.demoNotebook(null).metadata, false, 'none known');
  });

  it('is written once, through a temp file, and a notebook already there is kept', () => {
    const file = join(dir, 'nested', 'privet-demo.ipynb');
    assert.equal(script.writeDemoNotebook(file, INFO), true);
    const written = JSON.parse(readFileSync(file, 'utf8')) as Notebook;
    assert.deepEqual(written, script.demoNotebook(INFO));
    assert.deepEqual(readdirSync(join(dir, 'nested')), ['privet-demo.ipynb'], 'no temp file left');

    writeFileSync(file, '{"edited": true}');
    assert.equal(script.writeDemoNotebook(file, INFO), false);
    assert.equal(readFileSync(file, 'utf8'), '{"edited": true}', 'the user’s notebook stays');
  });
});

describe('the kernel’s language_info', () => {
  it('is what the interpreter prints for ipykernel', () => {
    const python = fakePython('py-ok', `echo '${JSON.stringify(INFO)}'`);
    assert.deepEqual(script.kernelLanguageInfo(python), INFO);
  });

  it('is null when the interpreter fails, prints no object, or is missing', () => {
    assert.equal(script.kernelLanguageInfo(fakePython('py-fail', 'exit 1')), null);
    assert.equal(script.kernelLanguageInfo(fakePython('py-text', 'echo not json')), null);
    assert.equal(script.kernelLanguageInfo(fakePython('py-list', "echo '[1]'")), null);
    assert.equal(script.kernelLanguageInfo(join(dir, 'no-such-python')), null);
  });
});
