/** What the UI tests' global setup started, handed to the tests through one environment variable. */
export interface UiTestEnv {
  jupyterUrl: string;
  jupyterToken: string;
  notebookDir: string;
  gatewayUrl: string;
  /** Plaintext gateway tokens by user (alice, bob: analysts; rita, raj: reviewers; sam: steward). */
  tokens: Record<string, string>;
  /** Id of the approved experiment alice proposed (views patients_masked, visits_masked, patients_dp). */
  experiment: string;
  /** Milliseconds the gateway (demo data + publish + start) and JupyterLab took to start. */
  startup: { gatewayMs: number; jupyterMs: number };
}

/** Name of the environment variable holding the JSON UiTestEnv. */
export const UI_ENV_VAR = 'PRIVET_UI_TEST_ENV';

/** Reads the environment the global setup published; throws with a fix when it is missing. */
export function uiTestEnv(): UiTestEnv {
  const raw = process.env[UI_ENV_VAR];
  if (!raw) {
    throw new Error(
      `${UI_ENV_VAR} is not set: the UI tests must run through Playwright's global setup. ` +
        'Fix: run "npx playwright test" from the repository root.',
    );
  }
  return JSON.parse(raw) as UiTestEnv;
}
