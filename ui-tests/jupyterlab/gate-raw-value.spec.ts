/**
 * The gate asks the gateway, before an output is shown, whether it shows a value of the raw data's
 * identifier columns (names have no local rule: only the gateway's keyed index knows them). A cell
 * printing a real patient's name — read here, by the test, from the raw file the UI-test gateway
 * generated; the notebook never reads raw data — is held with the raw-value text and no "Request
 * review", and the name never reaches the page; a name streamed in two writes is held once the
 * second write completes it; a made-up name of the same shape shows normally. A drawn widget whose
 * kernel-made state changes to show a real name is held, and the name is never painted (the widget
 * is transparent until the gateway's verdict); a harmless change is drawn as usual. A progress bar
 * the kernel moves faster than the gateway answers never blinks out: what it showed after its last
 * verdict stands in for it meanwhile, and a bar moved ten times a second, as tqdm moves one, draws
 * every step. States that arrive during a check are checked together, so a bar moved 3,000 times
 * in a tight loop is checked a few times and never held on the gateway's per-user call limit; so
 * is a log flushed every 10 ms (each call asks about its newest text), and a raw value printed
 * halfway through such a log holds it, never drawn.
 */
import { readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { uiTestEnv } from '../support/env.js';
import { SHOTS } from '../support/lab.js';
import { notebookWithView, runNewCell } from '../support/notebook.js';
import {
  blinkWatch,
  pageLeaked,
  paintWatch,
  watchBlinks,
  watchPage,
  watchPainted,
} from '../support/page-watch.js';

const env = uiTestEnv();
const run = Date.now().toString(36);
/** A name of the same shape as the demo's that no demo patient has. */
const UNRELATED = 'Quillon Vardemarsk';
/** Where this run's screenshot of the held placeholder goes (also under SHOTS). */
const SHOT = '/tmp/privet-gate-raw-value-held.png';

/**
 * The raw patients file of the UI-test gateway: global setup generates it in `gateway/data/` of a
 * fresh `privet-ui-*` folder of the temp directory (the newest one is this run's; the data is the same
 * in every run, as the generator is seeded).
 */
function rawPatientsFile(): string {
  const dirs = readdirSync(tmpdir())
    .filter((name) => name.startsWith('privet-ui-'))
    .map((name) => join(tmpdir(), name))
    .filter((dir) => {
      try {
        return statSync(join(dir, 'gateway', 'data', 'patients.parquet')).isFile();
      } catch {
        return false;
      }
    })
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (!dirs[0]) throw new Error(`no privet-ui-*/gateway/data/patients.parquet under ${tmpdir()}`);
  return join(dirs[0], 'gateway', 'data', 'patients.parquet');
}

/** One raw value of the identifier column `name` (two plain words), and whether UNRELATED is one. */
async function rawName(): Promise<{ name: string; unrelatedIsRaw: boolean }> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const file = rawPatientsFile().replaceAll("'", "''");
    const reader = await connection.runAndReadAll(
      `SELECT name, (SELECT count(*) FROM read_parquet('${file}') WHERE lower(name) = lower('${UNRELATED}')) AS unrelated
       FROM read_parquet('${file}') WHERE regexp_full_match(name, '[A-Z][a-z]{3,} [A-Z][a-z]{3,}')
       ORDER BY patient_id LIMIT 1`,
    );
    const row = reader.getRowObjectsJson()[0];
    if (!row || typeof row.name !== 'string') throw new Error('no two-word name in the raw file');
    return { name: row.name, unrelatedIsRaw: String(row.unrelated) !== '0' };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Alice's notebook on the masked patients view, under the UI study experiment. */
async function aliceNotebook(page: Page): Promise<Locator> {
  const notebook = await notebookWithView(page, env.tokens.alice!, 'patients_masked');
  await expect(page.locator('#privet-data-panel').getByLabel('Experiment')).toHaveValue(
    env.experiment,
  );
  return notebook;
}

/** Counts the page's raw-value calls to the gateway from now on (read with the returned function). */
function countRawValueCalls(page: Page): () => number {
  let calls = 0;
  page.on('request', (request) => {
    if (request.url().endsWith('/leak-check/outputs') && request.method() === 'POST') calls++;
  });
  return () => calls;
}

/** Python that prints `text` without the cell's source holding it whole (split after 3 chars). */
function printSplit(text: string): string {
  return `print(${JSON.stringify(text.slice(0, 3))} + ${JSON.stringify(text.slice(3))})`;
}

/** A new cell drawing progress bar `variable` (0 of `max`), once it is drawn. */
async function drawnProgressBar(page: Page, variable: string, max: number): Promise<Locator> {
  const cell = await runNewCell(
    page,
    `widget-${variable}-${run}`,
    [
      'import ipywidgets as w',
      `${variable} = w.IntProgress(value=0, max=${max}, description="${variable} ${run}")`,
      variable,
    ].join('\n'),
  );
  await expect(cell.locator('.widget-hprogress').first()).toBeVisible({ timeout: 60_000 });
  return cell;
}

/** Waits until the bar in `cell` is drawn full, with nothing waiting for a verdict. */
async function barDrawnFull(cell: Locator): Promise<void> {
  const liveBar = cell.locator('.widget-hprogress .progress-bar:not(.jp-Privet-lastVerified *)');
  await expect(liveBar).toHaveAttribute('style', /width: 100%/, { timeout: 60_000 });
  await expect(cell.locator('.jp-Privet-verifying')).toHaveCount(0, { timeout: 30_000 });
}

test('an output showing a raw identifier value is held and never drawn; others show', async ({
  page,
}) => {
  const { name, unrelatedIsRaw } = await rawName();
  expect(unrelatedIsRaw).toBe(false);

  // Alice's notebook in the approved experiment ("Use in notebook" binds it).
  const notebook = await aliceNotebook(page);
  await watchPage(page, name);

  // A real patient's name: held with the raw-value text, no review offered.
  const cell = await runNewCell(page, `raw-${run}`, printSplit(name));
  const held = cell.locator('.jp-Privet-held[data-state="raw-value"]');
  await expect(held).toBeVisible({ timeout: 30_000 });
  await expect(held.locator('li[data-rule="raw-value"]')).toBeVisible();
  await expect(held.getByRole('status')).toContainText(
    "shows a value from the raw data's identifier columns",
  );
  await expect(held.getByRole('status')).toContainText('no review can approve it');
  await expect(held.getByRole('status')).toContainText('remove the value');
  await expect(held.getByRole('button', { name: 'Request review' })).toHaveCount(0);
  await expect(held.getByRole('button', { name: 'Clear output' })).toBeVisible();
  await expect(cell.locator('.jp-OutputArea')).not.toContainText(name);
  await held.scrollIntoViewIfNeeded();
  await held.screenshot({ path: SHOT });
  await page.screenshot({ path: `${SHOTS}/gate-raw-value-held.png` });

  // The same name streamed in two writes: the write that completes it holds the output.
  const streamed = await runNewCell(
    page,
    `raw-stream-${run}`,
    [
      'import sys, time',
      `print(${JSON.stringify(name.slice(0, 3))}, end="")`,
      'sys.stdout.flush()',
      'time.sleep(1.5)',
      `print(${JSON.stringify(name.slice(3))})`,
    ].join('\n'),
  );
  await expect(streamed.locator('.jp-Privet-held[data-state="raw-value"]')).toBeVisible({
    timeout: 30_000,
  });
  await expect(streamed.locator('.jp-OutputArea')).not.toContainText(name);

  // A made-up name of the same shape shows as printed.
  const other = await runNewCell(page, `unrelated-${run}`, printSplit(UNRELATED));
  await expect(other.locator('.jp-OutputArea-output')).toContainText(UNRELATED, {
    timeout: 30_000,
  });
  await expect(other.locator('.jp-Privet-held')).toHaveCount(0);

  // The held outputs stay held, and the name was never on the page, not even for a moment.
  await expect(held).toBeVisible();
  await expect(notebook).not.toContainText(name);
  expect(await pageLeaked(page)).toBe(false);
});

test('a drawn widget whose new state shows a raw value is held before it is painted', async ({
  page,
}) => {
  const { name } = await rawName();
  await aliceNotebook(page);
  const split = `${JSON.stringify(name.slice(0, 3))} + ${JSON.stringify(name.slice(3))}`;

  // Two harmless HTML widgets are drawn.
  const label = await runNewCell(
    page,
    `widget-raw-${run}`,
    ['import ipywidgets as w', `label = w.HTML(value="<b>Waiting ${run}</b>")`, 'label'].join('\n'),
  );
  await expect(label.locator('.widget-html', { hasText: `Waiting ${run}` })).toBeVisible({
    timeout: 60_000,
  });
  const status = await runNewCell(
    page,
    `widget-fine-${run}`,
    `status = w.HTML(value="<b>Step 1 ${run}</b>")\nstatus`,
  );
  await expect(status.locator('.widget-html', { hasText: `Step 1 ${run}` })).toBeVisible({
    timeout: 30_000,
  });

  // A harmless new state is drawn, and not left transparent.
  await runNewCell(page, `widget-step-${run}`, `status.value = "<b>Step 2 ${run}</b>"`);
  await expect(status.locator('.widget-html', { hasText: `Step 2 ${run}` })).toBeVisible({
    timeout: 30_000,
  });
  await expect(status.locator('.jp-Privet-verifying')).toHaveCount(0, { timeout: 10_000 });

  // The kernel puts a real patient's name into the first: held, the name never painted.
  await watchPainted(page, name);
  await runNewCell(page, `widget-name-${run}`, `label.value = "<b>" + ${split} + "</b>"`);
  const held = label.locator('.jp-Privet-held[data-state="raw-value"]');
  await expect(held).toBeVisible({ timeout: 30_000 });
  await expect(held.getByRole('button', { name: 'Request review' })).toHaveCount(0);
  await expect(label.locator('.widget-html')).toHaveCount(0);
  const watch = await paintWatch(page);
  expect(watch.frames, 'the paint watch ran').toBeGreaterThan(10);
  expect(watch.painted, 'the name was never painted').toBe(false);
  await expect(status.locator('.widget-html', { hasText: `Step 2 ${run}` })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/gate-raw-value-widget.png` });
});

test('a progress bar the kernel moves faster than the gateway answers does not blink', async ({
  page,
}) => {
  await aliceNotebook(page);
  const cell = await drawnProgressBar(page, 'bar', 20);

  // Every verdict now takes 150 ms (longer than a frame), while the kernel moves the bar every
  // 50 ms: the bar waits for a verdict in most frames.
  await page.route('**/leak-check/outputs', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 150));
    await route.continue();
  });
  const calls = countRawValueCalls(page);
  const element = await cell.elementHandle();
  if (!element) throw new Error('the progress cell is gone');
  await watchBlinks(page, element);
  await runNewCell(
    page,
    `widget-progress-run-${run}`,
    'import time\nfor i in range(1, 21): bar.value = i; time.sleep(0.05)',
  );
  // What a user sees meanwhile: the bar as last verified, in place of the waiting one.
  const copy = cell.locator('.jp-Privet-lastVerified');
  await expect(copy).toBeVisible({ timeout: 10_000 });
  // It is not read out or focused twice: the live bar under it keeps focus and input.
  await expect(copy).toHaveAttribute('aria-hidden', 'true');
  await expect(copy).toHaveAttribute('inert', '');
  await cell.screenshot({ path: `${SHOTS}/gate-progress-last-verified.png` });
  await barDrawnFull(cell);
  await expect(cell.locator('.jp-Privet-lastVerified')).toHaveCount(0);
  const watch = await blinkWatch(page);
  expect(watch.waiting, 'frames in which the bar waited for a verdict').toBeGreaterThan(5);
  expect(watch.blank, 'frames in which the bar blinked out').toBe(0);
  // The copy moved on as calls cleared what the bar drew when they read it: the bar advanced.
  expect(watch.copies, 'copies that stood in for the bar').toBeGreaterThan(2);
  // States that arrive while a check is out are checked together: fewer calls than updates.
  expect(calls(), 'gateway calls for 20 updates').toBeLessThan(15);
  await page.unroute('**/leak-check/outputs');
});

test('a progress bar moved ten times a second shows every step while the gateway answers', async ({
  page,
}) => {
  await aliceNotebook(page);
  const cell = await drawnProgressBar(page, 'paced', 20);
  const element = await cell.elementHandle();
  if (!element) throw new Error('the progress cell is gone');
  await watchBlinks(page, element);
  // tqdm's pace: a step every 100 ms. Each step waits for its own verdict, then is drawn.
  await runNewCell(
    page,
    `widget-paced-run-${run}`,
    'import time\nfor i in range(1, 21): paced.value = i; time.sleep(0.1)',
  );
  await barDrawnFull(cell);
  const watch = await blinkWatch(page);
  expect(watch.blank, 'frames in which the bar blinked out').toBe(0);
  // Each verified step stood in while the next one waited: with calls at most five a second per
  // output, about 11 of the 20 steps were ever drawn.
  expect(watch.copies, 'steps drawn (copies that stood in)').toBeGreaterThanOrEqual(15);
});

test('a progress bar moved in a tight loop is checked a few times, not once per update', async ({
  page,
}) => {
  await aliceNotebook(page);
  const cell = await drawnProgressBar(page, 'tight', 3000);
  const calls = countRawValueCalls(page);
  // 3,000 updates as fast as the kernel sends them: more than the gateway's 1,200 calls a minute.
  await runNewCell(page, `widget-tight-run-${run}`, 'for i in range(1, 3001): tight.value = i');
  await barDrawnFull(cell);
  await expect(cell.locator('.jp-Privet-held')).toHaveCount(0);
  expect(calls(), 'gateway calls for 3,000 updates').toBeLessThan(200);
});

test('a log flushed every 10 ms is checked a few times a second and shown to its end', async ({
  page,
}) => {
  await aliceNotebook(page);
  const calls = countRawValueCalls(page);
  const started = Date.now();
  // 500 writes over about 5 s, each its own stream message (flushed), each a new rendering.
  const cell = await runNewCell(
    page,
    `stream-rate-${run}`,
    'import time\nfor i in range(500): print("step", i, flush=True); time.sleep(0.01)\nprint("log " + "ends")',
  );
  await expect(cell.locator('.jp-OutputArea-output')).toContainText('log ends', {
    timeout: 60_000,
  });
  await expect(cell.locator('.jp-Privet-held')).toHaveCount(0);
  // Each call asks about the newest text, one at a time: about ten a second however long the loop
  // takes on a busy machine (one per write was ~45 a second), and far fewer calls than writes.
  const seconds = (Date.now() - started) / 1000;
  expect(calls() / seconds, `gateway calls a second (${calls()} in ${seconds} s)`).toBeLessThan(15);
  expect(calls(), 'gateway calls for 500 writes').toBeLessThan(100);
});

test('a raw value printed halfway through a log flushed every 10 ms is held and never drawn', async ({
  page,
}) => {
  const { name } = await rawName();
  await aliceNotebook(page);
  await watchPage(page, name);
  const calls = countRawValueCalls(page);
  // 300 writes; the 150th prints a real patient's name (its source holds the name split in two).
  const cell = await runNewCell(
    page,
    `stream-raw-${run}`,
    [
      'import time',
      'for i in range(300):',
      `    print(${JSON.stringify(name.slice(0, 3))} + ${JSON.stringify(name.slice(3))} if i == 150 else f"step {i}", flush=True)`,
      '    time.sleep(0.01)',
    ].join('\n'),
  );
  // Each call asks about the newest text only, and every text after the 150th write holds it.
  await expect(cell.locator('.jp-Privet-held[data-state="raw-value"]')).toBeVisible({
    timeout: 60_000,
  });
  await expect(cell.locator('.jp-OutputArea')).not.toContainText(name);
  expect(await pageLeaked(page)).toBe(false);
  expect(calls(), 'gateway calls for 300 writes').toBeLessThan(50);
});
