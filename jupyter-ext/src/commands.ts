/** Command ids of the Privet JupyterLab extension (all in the palette under "Privet"). */
export const CommandIDs = {
  /** Shows the Privet data panel in the left sidebar. */
  openDataPanel: 'privet:open-data-panel',
  /** Shows the privacy budget sidebar (right). */
  openBudget: 'privet:open-budget',
  /** Shows the reviewer queue (left). */
  openReviewQueue: 'privet:open-review-queue',
  /** Exports the current notebook's passed and approved outputs as a signed bundle. */
  exportApproved: 'privet:export-approved',
  /** Forgets the token of this browser tab and shows the sign-in form. */
  signOut: 'privet:sign-out',
} as const;

/** Palette category of every Privet command. */
export const PALETTE_CATEGORY = 'Privet';

/**
 * Settings id of the extension. JupyterLab derives it from the package name and the schema file
 * (`schema/plugin.json`), so it cannot follow the `privet:<plugin>` form of the plugin ids.
 */
export const SETTINGS_ID = '@privet/jupyter-ext:plugin';

/** Default gateway URL when the settings cannot be read (matches schema/plugin.json). */
export const DEFAULT_GATEWAY_URL = 'http://127.0.0.1:8765';
