/** What the VS Code UI tests' global setup started, handed to the specs in one environment variable. */
export interface VsCodeTestEnv {
  /** code-server URL opening the test workspace. */
  url: string;
  workspace: string;
  /** code-server's user settings file (where `privet.gatewayUrl` lives: it is user-scoped). */
  userSettings: string;
  gatewayUrl: string;
  /**
   * The test gateway's raw demo data (patients.parquet, visits.parquet): for specs that need a raw
   * identifier value to print (only the test process reads it, never a notebook).
   */
  gatewayDataDir: string;
  /** Plaintext gateway tokens by user (alice, bob: analysts; rita, raj: reviewers; sam: steward). */
  tokens: Record<string, string>;
  /** Approved experiment alice proposed (patients_masked, visits_masked, patients_dp). */
  experiment: string;
  startup: { gatewayMs: number; codeServerMs: number; installMs: number };
}

/** Name of the environment variable holding the JSON VsCodeTestEnv. */
export const VSCODE_ENV_VAR = 'PRIVET_VSCODE_TEST_ENV';

/** Folder the specs save their screenshots to. */
export const SHOTS = 'test-results/vscode-screenshots';

/** Reads the environment the global setup published; throws with a fix when it is missing. */
export function vscodeTestEnv(): VsCodeTestEnv {
  const raw = process.env[VSCODE_ENV_VAR];
  if (!raw) {
    throw new Error(
      `${VSCODE_ENV_VAR} is not set: these specs run through their own global setup. ` +
        'Fix: npx playwright test -c playwright.vscode.config.ts',
    );
  }
  return JSON.parse(raw) as VsCodeTestEnv;
}
