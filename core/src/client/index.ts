/** The notebook hosts' shared client: typed gateway calls, errors, URLs, SQL lockdown, release text, verified DP releases and raw-value verdicts, the retried list of views. */
export * from './fetch-like.js';
export * from './time-limits.js';
export * from './download-progress.js';
export * from './gateway-error.js';
export * from './url.js';
export * from './routes.js';
export * from './gateway-client.js';
export * from './duckdb-lockdown.js';
export * from './capped-result.js';
export * from './cell-format.js';
export * from './row-errors.js';
export * from './release-format.js';
export * from './publish-progress.js';
export * from './verified-releases.js';
export * from './raw-value-checks.js';
export * from './loaded-views.js';
export * from './view-list.js';
