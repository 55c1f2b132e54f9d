/**
 * The fidelity report: one tab per view (showing it again reveals and refreshes that tab instead
 * of opening another), progress while the gateway's three answers load, and a tab icon with
 * light and dark variants (the review queue panel gets the same icon). Its figure keeps the white
 * the plots assume, with a border from the high-contrast (else panel) border colour. With the
 * in-memory VS Code API and a stub gateway client.
 */
import './fake-vscode/register.js';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeEach, describe, it } from 'node:test';
import type * as Fake from './fake-vscode/index.js';

const fake = (await import('vscode')) as unknown as typeof Fake;
const { FidelityPanels } = await import('../../vscode-ext/src/synthetic/fidelity-panels.js');
const { fidelityPage } = await import('../../vscode-ext/src/synthetic/fidelity-page.js');
const { ReviewQueuePanel } = await import('../../vscode-ext/src/review/queue-panel.js');

const EXT = 'file:///ext';

/** A fidelity report for `view` (only what the page reads). */
function report(view: string): unknown {
  return {
    view,
    note: 'synthetic rows',
    syntheticRows: 10,
    realRows: 10,
    tvd: { oneWay: 0.1, twoWay: 0.2, threeWay: 0.3 },
    correlations: { meanDifference: 0.01, maxDifference: 0.02 },
    columns: [{ name: 'age', tvd: 0.1 }],
  };
}

/** A client answering the report calls for any view, counting them. */
function client(): { calls: number } & Record<string, unknown> {
  const c = {
    calls: 0,
    viewFidelity: (view: string) => (c.calls++, Promise.resolve(report(view))),
    viewFidelitySvg: () => Promise.resolve('<svg xmlns="http://www.w3.org/2000/svg"/>'),
    listViews: () => Promise.resolve({ views: [] }),
  };
  return c;
}

/** The icon's file exists in media/ (light and dark). */
function assertPanelIcon(iconPath: unknown): void {
  const icon = iconPath as { light: { toString(): string }; dark: { toString(): string } };
  assert.ok(icon?.light && icon.dark, 'light and dark icons');
  for (const uri of [icon.light, icon.dark]) {
    const text = uri.toString();
    assert.ok(text.startsWith(`${EXT}/media/`), text);
    const file = resolve(import.meta.dirname, '../../vscode-ext/media', text.split('/').at(-1)!);
    assert.ok(existsSync(file), `${file} exists`);
  }
  assert.notEqual(icon.light.toString(), icon.dark.toString());
}

describe('fidelity report panels', () => {
  beforeEach(() => {
    fake.createdWebviewPanels.length = 0;
    fake.shownProgress.length = 0;
  });

  it('opens one tab per view, with progress and an icon; again it reveals and refreshes it', async () => {
    const panels = new FidelityPanels(new fake.Uri(EXT) as never);
    const gateway = client();
    await panels.show(gateway as never, 'people_synth');
    assert.deepEqual(fake.shownProgress, ['Privet: loading the fidelity report of people_synth…']);
    assert.equal(fake.createdWebviewPanels.length, 1);
    const panel = fake.createdWebviewPanels[0]!;
    assert.equal(panel.title, 'Fidelity: people_synth');
    assert.match(panel.webview.html, /Fidelity of people_synth/);
    assertPanelIcon(panel.iconPath);

    panel.webview.html = 'stale';
    await panels.show(gateway as never, 'people_synth');
    assert.equal(fake.createdWebviewPanels.length, 1, 'no second tab');
    assert.equal(panel.reveals, 1);
    assert.match(panel.webview.html, /Fidelity of people_synth/, 'refreshed');
    assert.equal(gateway.calls, 2);
    assert.equal(fake.shownProgress.length, 2);

    await panels.show(gateway as never, 'visits_synth');
    assert.equal(fake.createdWebviewPanels.length, 2, 'another view, another tab');

    panel.dispose();
    await panels.show(gateway as never, 'people_synth');
    assert.equal(fake.createdWebviewPanels.length, 3, 'a closed tab is opened again');
    panels.dispose();
    assert.ok(fake.createdWebviewPanels.every((p) => p.disposed));
  });

  it('the review queue panel has the same icon', () => {
    const session = { signedIn: undefined, onDidChange: new fake.EventEmitter<void>().event };
    const queue = new ReviewQueuePanel(new fake.Uri(EXT) as never, session as never, () => {});
    queue.show();
    const panel = fake.createdWebviewPanels.at(-1)!;
    assert.equal(panel.viewType, 'privet.reviewQueue');
    assertPanelIcon(panel.iconPath);
    queue.dispose();
  });

  it("the figure keeps the plots' white, with a border for high-contrast themes", () => {
    const html = fidelityPage(report('v') as never, '<svg/>');
    const figure = /figure \{[^}]*\}/.exec(html)?.[0] ?? '';
    assert.match(figure, /background: #fff/);
    assert.match(
      figure,
      /border: 1px solid var\(--vscode-contrastBorder, var\(--vscode-panel-border/,
    );
  });
});
