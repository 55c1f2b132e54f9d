/**
 * axe-core's WCAG checks of a Privet webview's page (the nested frame where Privet's HTML is; the
 * workbench around it is VS Code's own). A page with scripts runs axe in place; the fidelity
 * report has none, and axe's timers never fire there, so its live document — VS Code's theme
 * variables and default styles included — is copied into a scratch page of the same width first.
 */
import axe from 'axe-core';
import { expect, type Frame } from '@playwright/test';

/** One axe finding as the tests report it. */
interface Finding {
  id: string;
  impact?: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}
/** What axe.run answers, as far as read here. */
interface AxeAnswer {
  violations: Finding[];
  passes: unknown[];
}

/**
 * Axe's violations in a webview page that runs scripts (budget & record, review queue), one line
 * each with the nodes it names.
 */
export async function webviewViolations(frame: Frame): Promise<string[]> {
  await frame.evaluate(axe.source);
  const answer = await frame.evaluate(() =>
    (
      window as unknown as { axe: { run(context: Document, options: object): Promise<AxeAnswer> } }
    ).axe.run(document, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
      },
      // A webview is a fragment of VS Code's window, not a page: no landmarks or h1 of its own.
      rules: { region: { enabled: false }, 'page-has-heading-one': { enabled: false } },
    }),
  );
  expect(answer.passes.length, 'axe checked the webview').toBeGreaterThan(5);
  return answer.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => `${n.target.join(' ')} [${n.failureSummary ?? ''}]`).join(', ')}`,
  );
}

/**
 * Axe's violations in a webview page without scripts (the fidelity report): its document as VS
 * Code drew it, checked in a scratch page of the same width.
 */
export async function staticWebviewViolations(frame: Frame): Promise<string[]> {
  const [html, width] = await frame.evaluate(
    () => [document.documentElement.outerHTML, window.innerWidth] as const,
  );
  const scratch = await frame.page().context().newPage();
  try {
    await scratch.setViewportSize({ width, height: 900 });
    await scratch.setContent(`<!DOCTYPE html>${html}`);
    return await webviewViolations(scratch.mainFrame());
  } finally {
    await scratch.close();
  }
}
