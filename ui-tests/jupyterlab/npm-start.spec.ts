/**
 * The README's main job, end to end: `npm start` (on ports this test picks, its folders under a
 * temp PRIVET_HOME) builds, publishes the demo views, starts the gateway and JupyterLab and prints
 * a link; the link opens the demo notebook beside the data panel, signed in as alice in the demo
 * experiment with the demo views, and a query over a masked view answers. Ctrl+C (SIGINT to the
 * process group, as a terminal sends it) stops both services, with no failure reported.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { acceptLinkSignIn, SHOTS } from '../support/lab.js';
import { visibleNotebook } from '../support/notebook.js';
import { captureOutput, freePort, waitForLine } from '../support/processes.js';

const repoRoot = resolve(import.meta.dirname, '../..');

/** Sends `signal` to the child's whole process group (it was started detached). */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** How a child ended: its exit code or the signal that ended it. */
interface Ending {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Resolves with how the child ended, or null when it has not exited within `ms`. */
function endingWithin(child: ChildProcess, ms: number): Promise<Ending | null> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolveEnding) => {
    const timer = setTimeout(() => resolveEnding(null), ms);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolveEnding({ code, signal });
    });
  });
}

/** True when nothing accepts connections on 127.0.0.1:`port`. */
async function portClosed(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) });
    return false;
  } catch {
    return true;
  }
}

test('npm start: the printed link opens the demo signed in as alice; Ctrl+C stops it', async ({
  page,
}) => {
  test.setTimeout(15 * 60_000);
  const home = mkdtempSync(join(tmpdir(), 'privet-npm-start-'));
  const gatewayPort = await freePort();
  const jupyterPort = await freePort();
  const child = spawn('npm', ['start'], {
    cwd: repoRoot,
    detached: true, // its own process group, as a terminal's foreground job
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PRIVET_HOME: home,
      PRIVET_PORT: String(gatewayPort),
      PRIVET_JUPYTER_PORT: String(jupyterPort),
      PRIVET_NO_BROWSER: '1',
    },
  });
  const output = captureOutput(child, 100_000);
  try {
    const link = await waitForLine(
      child,
      `  http://127.0.0.1:${jupyterPort}/lab/tree/privet-demo.ipynb?`,
      12 * 60_000,
      'npm start',
      output,
    );
    const demoLink = `http://127.0.0.1:${jupyterPort}/lab/tree/privet-demo.ipynb?${link}`;
    expect(demoLink).toMatch(/\?token=[0-9a-f]+#privet-token=\S+$/);
    // Steps and links, not the demo proposal's whole JSON record.
    expect(output()).toContain('▶ Creating the demo experiment');
    expect(output()).not.toContain('"createdAt"');

    await page.goto(demoLink);
    await expect(page.locator('#jupyterlab-splash')).toHaveCount(0, { timeout: 60_000 });
    await acceptLinkSignIn(page, 'Alice Analyst'); // the first sign-in in this browser asks once
    const panel = page.locator('#privet-data-panel');
    await expect(panel.locator('.jp-Privet-user')).toContainText('Alice', { timeout: 60_000 });
    await expect(panel.getByRole('combobox', { name: 'Experiment' })).toHaveValue('demo');
    for (const view of ['patients_masked', 'visits_masked', 'patients_synthetic', 'patients_dp'])
      await expect(panel.locator(`.jp-Privet-view[data-view="${view}"]`)).toBeVisible();
    const intro = visibleNotebook(page).locator('.jp-RenderedMarkdown', { hasText: 'Privet demo' });
    await expect(intro).toBeVisible();
    await expect(page.locator('.lm-TabBar-tab', { hasText: 'privet-demo.ipynb' })).toBeVisible();

    // A query over a masked view runs in the browser and counts the rows the view card states.
    const card = panel.locator('.jp-Privet-view[data-view="patients_masked"]');
    const stated = /([\d,]+) rows/.exec((await card.textContent()) ?? '')?.[1]?.replace(/,/g, '');
    expect(Number(stated), 'the card states a row count').toBeGreaterThan(0);
    const sql = panel.getByLabel('SQL query', { exact: true });
    await sql.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('SELECT count(*) AS n FROM patients_masked');
    await panel
      .locator('.jp-Privet-sqlActions:not(.jp-Privet-dpActions)')
      .getByRole('button', { name: 'Run', exact: true })
      .click();
    const cells = panel.locator('.jp-Privet-result table tbody td');
    await expect(cells).toHaveText([stated!], { timeout: 90_000 });
    await page.screenshot({ path: `${SHOTS}/npm-start.png` });

    // JupyterLab's server logged warnings and errors only (its INFO lines, such as a kernel
    // starting for the notebook, start with "[I ").
    expect(output()).not.toMatch(/^\[I /m);

    signalGroup(child, 'SIGINT');
    const ending = await endingWithin(child, 60_000);
    const tail = output().slice(-3000);
    expect(ending, `npm start did not end within 60 s of Ctrl+C. Output:\n${tail}`).not.toBeNull();
    // start.mjs exits 0 on Ctrl+C; npm itself then ends by the SIGINT, as in a terminal.
    expect([0, 'SIGINT']).toContain(ending!.code ?? ending!.signal);
    expect(tail, 'npm start reported no failure on the way out').not.toContain('✖');
    expect(await portClosed(gatewayPort), 'the gateway stopped').toBe(true);
    expect(await portClosed(jupyterPort), 'JupyterLab stopped').toBe(true);
    // Everything it keeps went to PRIVET_HOME, none to the checkout's .privet/.
    for (const kept of ['demo', 'notebooks/privet-demo.ipynb', 'jupyter/user-settings'])
      expect(existsSync(join(home, kept)), `${kept} under PRIVET_HOME`).toBe(true);
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      signalGroup(child, 'SIGTERM');
      if ((await endingWithin(child, 15_000)) === null) signalGroup(child, 'SIGKILL');
    }
    rmSync(home, { recursive: true, force: true });
  }
});
