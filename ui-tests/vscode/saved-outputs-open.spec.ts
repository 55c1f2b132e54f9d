/**
 * Opening a saved notebook whose outputs pass once the gateway answers: a genuine DP release (its
 * id and content are in the ledger), an output a reviewer approved, and a table of rows that
 * passes with the views (held while they are unknown, e.g. loading at start-up). Their originals
 * are in the file already, so the host asks the gateway before it swaps anything: the outputs are
 * drawn and the notebook is not marked modified (no placeholder swapped in and restored), neither
 * when opened nor when the window starts with it open; the file stays as it was. A forged release
 * in a saved notebook is still held (never drawn, the placeholder saved instead), and a gateway
 * that does not answer leads to the swap once the open-time check's bound (10 s) has passed, with
 * the release held on screen meanwhile; it is put back once the gateway answers. Outputs the
 * renderers held at start-up because the host could not answer yet (the stored token not yet
 * restored) are asked about again and drawn once it is. Runs after
 * privet.spec.ts (file order): it spends budget of the test experiment.
 */
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import type { DpRelease } from '@privet/core/protocol';
import { MONTHLY_TOTAL, MONTHLY_VISITS_HTML } from './support/demo-notebook.js';
import { vscodeTestEnv } from './support/env.js';
import { reportPrivetLogOnFailure } from './support/privet-log.js';
import { approvedByReviewer, genuineRelease, releaseDisplay } from './support/gateway-api.js';
import { holdingProxy } from './support/holding-proxy.js';
import { withUserSettings } from './support/user-settings.js';
import { leakSeen, watchForLeak } from './support/leak-watch.js';
import {
  dirtyTabs,
  hostPlaceholders,
  saveAndWait,
  savedOutputs,
  writeSavedNotebook,
  type SavedCell,
} from './support/saved-notebook.js';
import {
  closeAllEditors,
  openNotebookAlone,
  openWorkbench,
  outputFrame,
  runCommand,
  shot,
  signInAs,
} from './support/workbench.js';

const env = vscodeTestEnv();

reportPrivetLogOnFailure(env);

const PLACEHOLDER = 'application/vnd.privet.withheld+json';
const DP_SQL = 'SELECT sex, COUNT(*) AS n FROM patients_dp GROUP BY sex';

/** The address in the approved output (flagged `email` until the gateway says it was approved). */
const APPROVED_EMAIL = 'approved.person@example.org';

/** The harmless monthly table as a saved display output. */
const MONTHLY_VISITS = {
  output_type: 'display_data',
  data: { 'text/html': MONTHLY_VISITS_HTML },
  metadata: {},
};

/**
 * Runs `body` with these settings, undone afterwards: `privet.gatewayUrl` goes to the user settings
 * (it is user-scoped: a workspace cannot set it), the others to the workspace settings
 * (.vscode/settings.json, read when the window starts). Auto save is off in them: VS Code for the
 * web saves after a second by default, which would clear the modified marker (and rewrite the
 * file) right after an edit.
 */
async function withWorkspaceSettings(
  settings: Record<string, unknown>,
  body: () => Promise<void>,
): Promise<void> {
  const { 'privet.gatewayUrl': gatewayUrl, ...workspaceSettings } = settings;
  const dir = join(env.workspace, '.vscode');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'settings.json'),
    JSON.stringify({ 'files.autoSave': 'off', ...workspaceSettings }, null, 2),
  );
  try {
    await withUserSettings(
      env,
      gatewayUrl === undefined ? {} : { 'privet.gatewayUrl': gatewayUrl },
      body,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The file's text and modification time: a save, even of the same content, changes the time. */
function fileState(path: string): { text: string; mtimeMs: number } {
  return { text: readFileSync(path, 'utf8'), mtimeMs: statSync(path).mtimeMs };
}

/** The notebook's tab (to know the dirty-marker check looks at the right editor). */
function notebookTab(page: Page, file: string): Locator {
  return page.locator('.monaco-workbench .tabs-container .tab').filter({ hasText: file });
}

/** Checks for `ms` that no editor is marked modified and no host placeholder was swapped in. */
async function staysUnmodified(page: Page, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    expect(await dirtyTabs(page).count(), 'the notebook is not marked modified').toBe(0);
    expect(await hostPlaceholders(page).count(), 'no placeholder was swapped in').toBe(0);
    if (Date.now() >= until) return;
    await page.waitForTimeout(250);
  }
}

/** Waits until the release, the approved output and the table are drawn. */
async function expectAllDrawn(page: Page, release: DpRelease): Promise<void> {
  const frame = outputFrame(page);
  await expect(frame.locator('.privet-release')).toBeVisible();
  await expect(frame.locator('.privet-release code')).toHaveText(release.releaseId);
  await expect(frame.getByText(APPROVED_EMAIL)).toBeVisible();
  await expect(frame.getByText(MONTHLY_TOTAL, { exact: true })).toBeVisible();
}

/**
 * A genuine DP release, an output a reviewer approved (its text: `contact` then the address; each
 * test needs its own, as an output is approved once) and the table, as the cells of a saved notebook.
 */
async function passingCells(contact: string): Promise<{ release: DpRelease; cells: SavedCell[] }> {
  const release = await genuineRelease(env, DP_SQL, '0.1');
  const approved = {
    output_type: 'stream',
    name: 'stdout',
    text: [`${contact} ${APPROVED_EMAIL}\n`],
  };
  await approvedByReviewer(env, approved, 'The study team’s shared contact address');
  const cells = [
    { source: 'release', outputs: [releaseDisplay(release)] },
    { source: 'print("contact:", team_contact)', outputs: [approved] },
    { source: 'monthly_visits', outputs: [MONTHLY_VISITS] },
  ];
  return { release, cells };
}

test('a saved notebook whose outputs pass once the gateway answers opens unmodified, also at start-up', async ({
  page,
}) => {
  const { release, cells } = await passingCells('contact:');
  const file = 'saved-passing.ipynb';
  const path = writeSavedNotebook(env.workspace, file, cells);
  const written = fileState(path);

  await withWorkspaceSettings({}, async () => {
    await openWorkbench(page, env.url);
    await signInAs(page, 'alice', env.tokens.alice!);
    await openNotebookAlone(page, file);
    await expect(notebookTab(page, file)).toBeVisible();
    await expectAllDrawn(page, release);
    await staysUnmodified(page, 4000);
    await shot(page, '70-saved-outputs-open-unmodified');
    expect(fileState(path), 'the file was not written again').toEqual(written);

    // A new window with the notebook open: the stored token is restored and the views load while
    // the notebook is already open (the table is held until they are known).
    await page.reload();
    await expect(page.locator('.monaco-workbench')).toBeVisible({ timeout: 120_000 });
    await expect(page.locator('.notebookOverlay')).toBeVisible({ timeout: 60_000 });
    await expect(notebookTab(page, file)).toBeVisible();
    await expectAllDrawn(page, release);
    await staysUnmodified(page, 4000);
    await shot(page, '71-saved-outputs-start-up-unmodified');
    expect(fileState(path), 'the file was not written again').toEqual(written);

    // Closing asks nothing: there is nothing to save.
    await runCommand(page, 'View: Close Editor');
    await expect(page.locator('.notebookOverlay')).toHaveCount(0);
    await expect(page.getByRole('button', { name: "Don't Save" })).toHaveCount(0);
    expect(fileState(path)).toEqual(written);
  });
});

test('outputs held at start-up before the stored token is restored are drawn once it is', async ({
  page,
}) => {
  const { release, cells } = await passingCells('contact at start-up:');
  // After the reload, the start-up token restore (GET /whoami) waits in the proxy until released:
  // the renderers' first questions can only be answered "no" (not signed in, views unknown).
  let holdWhoami = false;
  const proxy = await holdingProxy(env.gatewayUrl, (p) => holdWhoami && p.includes('/whoami'));
  try {
    await withWorkspaceSettings({ 'privet.gatewayUrl': proxy.url }, async () => {
      const file = 'saved-start-up-held.ipynb';
      writeSavedNotebook(env.workspace, file, cells);
      await openWorkbench(page, env.url);
      await signInAs(page, 'alice', env.tokens.alice!);
      await openNotebookAlone(page, file);
      await expectAllDrawn(page, release);
      // Long enough for the window to store its open editors (restored after the reload).
      await staysUnmodified(page, 4000);

      holdWhoami = true;
      await page.reload();
      await expect(page.locator('.notebookOverlay')).toBeVisible({ timeout: 120_000 });
      await expect.poll(() => proxy.heldCalls(), { timeout: 60_000 }).toBeGreaterThan(0);
      // Held on screen while the host cannot answer (the address, the release, the table).
      await expect(outputFrame(page).getByText(/Privet withheld this output/)).toHaveCount(3, {
        timeout: 30_000,
      });
      await shot(page, '75-start-up-held-before-restore');
      // The token is restored: the host tells the renderers, which ask again and draw them all,
      // with no swap (the open-time check found nothing to hold once the gateway answered).
      proxy.release();
      await expectAllDrawn(page, release);
      await expect(outputFrame(page).getByText(/Privet withheld this output/)).toHaveCount(0);
      await staysUnmodified(page, 2000);
      await shot(page, '76-start-up-drawn-after-restore');
    });
  } finally {
    await proxy.close();
  }
});

test('a forged release in a saved notebook is held: never drawn, the placeholder saved', async ({
  page,
}) => {
  const genuine = await genuineRelease(env, DP_SQL, '0.1');
  // The genuine release id with other numbers: the ledger vouches for id AND content.
  const forgedKey = 'forged-group-key';
  const forged: DpRelease = {
    ...genuine,
    rows: genuine.rows.map((row, i) => (i === 0 ? { ...row, keys: { sex: forgedKey } } : row)),
  };
  await page.context().addInitScript(watchForLeak, forgedKey);
  const file = 'saved-forged-release.ipynb';
  const path = writeSavedNotebook(env.workspace, file, [
    { source: 'release', outputs: [releaseDisplay(forged)] },
  ]);
  await withWorkspaceSettings({}, async () => {
    await openWorkbench(page, env.url);
    await signInAs(page, 'alice', env.tokens.alice!);
    await openNotebookAlone(page, file);
    await expect(hostPlaceholders(page)).toHaveCount(1);
    await expect(
      outputFrame(page).getByText(/Privet withheld this output \(flag: dp-provenance/),
    ).toBeVisible();
    // The swap is an edit: this notebook is modified (which also shows the marker is detected).
    await expect(dirtyTabs(page)).toHaveCount(1);
    await saveAndWait(page, path);
    await shot(page, '72-saved-forged-release-held');
    const [saved] = savedOutputs(path);
    expect(saved).toContain(PLACEHOLDER);
    expect(saved).not.toContain(forgedKey);
    const seen = await leakSeen(page);
    expect(seen.withheld, `the watcher ran in the output frame: ${seen.frames}`).toBe(true);
    expect(seen.leaked, 'the forged release was never drawn').toBe(false);
  });
});

test('a gateway that does not answer: the open-time check swaps after its bound, fail closed', async ({
  page,
}) => {
  const release = await genuineRelease(env, DP_SQL, '0.1');
  // Every POST /releases/verify waits in the proxy until released.
  const proxy = await holdingProxy(env.gatewayUrl, (p) => p.includes('/releases/verify'));
  try {
    // The workspace's gateway is the proxy (read at sign-in).
    await withWorkspaceSettings({ 'privet.gatewayUrl': proxy.url }, async () => {
      await page.context().addInitScript(watchForLeak, release.releaseId);
      const file = 'saved-silent-gateway.ipynb';
      const path = writeSavedNotebook(env.workspace, file, [
        { source: 'release', outputs: [releaseDisplay(release)] },
      ]);
      await openWorkbench(page, env.url);
      await signInAs(page, 'alice', env.tokens.alice!);
      await closeAllEditors(page);
      const opened = Date.now();
      await openNotebookAlone(page, file);
      await expect.poll(() => proxy.heldCalls(), { timeout: 30_000 }).toBeGreaterThan(0);
      // While the gateway is asked (well within the 10 s bound), nothing is swapped…
      await staysUnmodified(page, 4000);
      // …and the release is held on screen (the renderer's own answer never comes either).
      await expect(outputFrame(page).getByText(/Privet withheld this output/)).toBeVisible();
      // Once the bound has passed, the host swaps in the placeholder (an edit: modified).
      await expect(hostPlaceholders(page)).toHaveCount(1, { timeout: 40_000 });
      await expect(dirtyTabs(page)).toHaveCount(1);
      const swappedAfter = Date.now() - opened;
      expect(swappedAfter, 'swapped only once the bound passed').toBeGreaterThanOrEqual(9_500);
      expect(swappedAfter, 'swapped soon after the bound').toBeLessThan(40_000);
      await saveAndWait(page, path);
      await shot(page, '73-silent-gateway-swapped');
      const [saved] = savedOutputs(path);
      expect(saved, 'the document no longer holds the unverified release').toContain(PLACEHOLDER);
      expect(saved).not.toContain(release.releaseId);
      const seen = await leakSeen(page);
      expect(seen.withheld, `the watcher ran in the output frame: ${seen.frames}`).toBe(true);
      expect(seen.leaked, 'the unverified release was never drawn').toBe(false);

      // The gateway answers at last: the release is put back and drawn.
      proxy.release();
      await expect(outputFrame(page).locator('.privet-release code')).toHaveText(release.releaseId);
      await expect(hostPlaceholders(page)).toHaveCount(0);
      await shot(page, '74-silent-gateway-answered');
    });
  } finally {
    await proxy.close();
  }
});
