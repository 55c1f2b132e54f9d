/**
 * The VS Code gate renderer fronts both of VS Code's renderers of text outputs: it claims
 * Markdown and LaTeX as well as the built-in renderer's types, hands a passing item to the
 * renderer that would have drawn it (Markdown and LaTeX to the Markdown renderer), sends disposal
 * to the renderer that drew an item, and draws a message, never the content, when that renderer
 * is missing. Checked against the renderers the installed VS Code (code-server) contributes.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { OutputItem, RendererApi, RendererContext } from 'vscode-notebook-renderer';
import {
  BUILTIN_RENDERER_ID,
  MARKDOWN_MIMES,
  MARKDOWN_RENDERER_ID,
  delegateIdFor,
} from '../../vscode-ext/src/renderer/delegates.js';
import { activate } from '../../vscode-ext/src/renderer/gate.js';
import { clearElement, drawingTarget } from '../../vscode-ext/src/renderer/surface.js';
import { FakeElement, withFakeDocument } from './fake-dom.js';

const repo = join(import.meta.dirname, '../..');
const EMAIL_TABLE = '| name | email |\n|---|---|\n| Jane | jane.roe@example.org |\n';

interface Contributed {
  id: string;
  mimeTypes?: string[];
}

/** The `notebookRenderer` contributions of an extension manifest. */
function renderersOf(manifestPath: string): Contributed[] {
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    contributes?: { notebookRenderer?: Contributed[] };
  };
  return manifest.contributes?.notebookRenderer ?? [];
}

/** MIME types the gate claims in vscode-ext/package.json. */
function gateMimes(): string[] {
  const gate = renderersOf(join(repo, 'vscode-ext/package.json')).find(
    (r) => r.id === 'privet.gate',
  );
  assert.ok(gate?.mimeTypes, 'the gate renderer is contributed with its MIME types');
  return gate.mimeTypes;
}

/** An output item as the renderer API gives it. */
function item(id: string, mime: string, text: string): OutputItem {
  return { id, mime, metadata: undefined, text: () => text } as unknown as OutputItem;
}

/** A delegate renderer that records what it was asked to draw and dispose. */
function delegate(
  name: string,
): RendererApi & { drawn: string[]; disposed: (string | undefined)[] } {
  const drawn: string[] = [];
  const disposed: (string | undefined)[] = [];
  return {
    drawn,
    disposed,
    renderOutputItem(output, element) {
      drawn.push(output.id);
      element.textContent = `${name}: ${output.text()}`;
    },
    disposeOutputItem(id) {
      disposed.push(id);
    },
  };
}

/** A renderer context without messaging whose `getRenderer` answers from `renderers`. */
function context(
  renderers: Record<string, RendererApi | Error>,
  asked: string[] = [],
): RendererContext<unknown> {
  return {
    getRenderer: async (id: string) => {
      asked.push(id);
      const r = renderers[id];
      if (r instanceof Error) throw r;
      return r;
    },
  } as unknown as RendererContext<unknown>;
}

/** The gate's renderer API for that context. */
async function gate(ctx: RendererContext<unknown>): Promise<RendererApi> {
  const api = await activate(ctx);
  assert.ok(api, 'the gate renderer activates');
  return api;
}

describe('VS Code gate renderer delegates', () => {
  it('claims Markdown and LaTeX and sends them to the Markdown renderer', () => {
    const claimed = gateMimes();
    for (const mime of ['text/markdown', 'text/latex']) {
      assert.ok(claimed.includes(mime), `the gate claims ${mime}`);
      assert.equal(delegateIdFor(mime), MARKDOWN_RENDERER_ID);
    }
    for (const mime of claimed.filter((m) => !MARKDOWN_MIMES.has(m)))
      assert.equal(delegateIdFor(mime), BUILTIN_RENDERER_ID, mime);
  });

  const vscodeExtensions = join(
    repo,
    '.cache/code-server/node_modules/code-server/lib/vscode/extensions',
  );
  // Skipped before `npm run test:vscode` installed code-server; that script runs this file again
  // with PRIVET_REQUIRE_VSCODE=1, where a missing install fails instead.
  const skipWithoutVsCode =
    !existsSync(vscodeExtensions) &&
    !process.env.PRIVET_REQUIRE_VSCODE &&
    'code-server is not installed in .cache/ (npm run test:vscode installs it and runs these)';
  it(
    'each claimed type goes to a renderer the installed VS Code contributes for it',
    { skip: skipWithoutVsCode },
    () => {
      const contributed = ['markdown-language-features', 'notebook-renderers'].flatMap((ext) =>
        renderersOf(join(vscodeExtensions, ext, 'package.json')),
      );
      for (const mime of gateMimes()) {
        const id = delegateIdFor(mime);
        const renderer = contributed.find((r) => r.id === id);
        assert.ok(renderer, `VS Code contributes ${id}`);
        assert.ok(renderer.mimeTypes?.includes(mime), `${id} draws ${mime}`);
      }
    },
  );

  it(
    "claims every non-image type VS Code's own renderers draw (code, JSON, Markdown, text)",
    { skip: skipWithoutVsCode },
    () => {
      const claimed = new Set(gateMimes());
      const drawn = ['markdown-language-features', 'notebook-renderers']
        .flatMap((ext) => renderersOf(join(vscodeExtensions, ext, 'package.json')))
        .flatMap((r) => r.mimeTypes ?? [])
        .filter((mime) => !mime.startsWith('image/') || mime === 'image/svg+xml');
      assert.ok(drawn.includes('text/x-python') && drawn.includes('application/json'));
      for (const mime of drawn) assert.ok(claimed.has(mime), `the gate claims ${mime}`);
    },
  );

  it('draws a passing Markdown item with the Markdown renderer, text with the built-in one', async () => {
    const markdown = delegate('markdown');
    const builtin = delegate('builtin');
    const asked: string[] = [];
    const api = await gate(
      context({ [MARKDOWN_RENDERER_ID]: markdown, [BUILTIN_RENDERER_ID]: builtin }, asked),
    );
    const el = new FakeElement();
    await api.renderOutputItem(
      item('m1', 'text/markdown', '# Hello'),
      el.asHtml,
      new AbortController().signal,
    );
    assert.equal(el.textContent, 'markdown: # Hello');
    await api.renderOutputItem(
      item('l1', 'text/latex', '$x^2$'),
      new FakeElement().asHtml,
      new AbortController().signal,
    );
    await api.renderOutputItem(
      item('p1', 'text/plain', 'mean age 41.5'),
      new FakeElement().asHtml,
      new AbortController().signal,
    );
    assert.deepEqual(markdown.drawn, ['m1', 'l1']);
    assert.deepEqual(builtin.drawn, ['p1']);
    assert.deepEqual(
      asked,
      [MARKDOWN_RENDERER_ID, BUILTIN_RENDERER_ID],
      'each delegate is fetched once',
    );

    api.disposeOutputItem?.('m1');
    api.disposeOutputItem?.('p1');
    assert.deepEqual(markdown.disposed, ['m1']);
    assert.deepEqual(builtin.disposed, ['p1']);
    api.disposeOutputItem?.();
    assert.deepEqual(
      markdown.disposed,
      ['m1', undefined],
      'disposing all reaches each delegate that drew',
    );
    assert.deepEqual(builtin.disposed, ['p1']);
  });

  it('never hands a flagged Markdown item to a renderer; the notice shows instead', async () => {
    const markdown = delegate('markdown');
    const api = await gate(context({ [MARKDOWN_RENDERER_ID]: markdown }));
    const el = new FakeElement();
    await withFakeDocument(() =>
      api.renderOutputItem(
        item('m2', 'text/markdown', EMAIL_TABLE),
        el.asHtml,
        new AbortController().signal,
      ),
    );
    assert.deepEqual(markdown.drawn, []);
    assert.match(el.textContent, /Privet withheld this output \(block: email\)/);
    assert.doesNotMatch(el.textContent, /jane\.roe/);
  });

  it('fails closed with a message when the Markdown renderer is missing or fails to load', async () => {
    for (const missing of [undefined, new Error('Error loading renderer')]) {
      const builtin = delegate('builtin');
      const api = await gate(
        context({
          [BUILTIN_RENDERER_ID]: builtin,
          ...(missing ? { [MARKDOWN_RENDERER_ID]: missing } : {}),
        }),
      );
      const el = new FakeElement();
      await api.renderOutputItem(
        item('m3', 'text/markdown', '# Hello'),
        el.asHtml,
        new AbortController().signal,
      );
      assert.match(
        el.textContent,
        /Markdown renderer .* is not available, so this Markdown or LaTeX output is not drawn\. Fix: enable/,
      );
      assert.doesNotMatch(el.textContent, /Hello/);
      assert.deepEqual(
        builtin.drawn,
        [],
        'Markdown is never sent to the built-in renderer instead',
      );
    }
  });

  it('a held item replaces what the Markdown renderer drew in the same element', async () => {
    await withFakeDocument(() => {
      const el = new FakeElement();
      const shadow = new FakeElement('#shadow-root');
      shadow.textContent = 'an earlier Markdown drawing';
      el.shadowRoot = shadow; // VS Code re-renders an updated output into the same element
      assert.equal(
        drawingTarget(el.asHtml, MARKDOWN_RENDERER_ID),
        el.asHtml,
        'its own shadow root is reused',
      );
      clearElement(el.asHtml);
      assert.deepEqual(
        shadow.children.map((c) => c.tagName),
        ['slot'],
        'the old drawing is gone and the element’s own children show',
      );
      const target = drawingTarget(el.asHtml, MARKDOWN_RENDERER_ID);
      assert.notEqual(target, el.asHtml, 'Markdown drawn after a hold goes into a fresh child');
      assert.deepEqual(el.children, [target]);
      assert.equal(drawingTarget(el.asHtml, BUILTIN_RENDERER_ID), el.asHtml);
      assert.deepEqual(el.children, []);
    });
  });
});
