/** Raw sources in a locked-down native DuckDB, shared by publishing and DP queries. */
export {
  openSourceEngine,
  QueryInterruptedError,
  QueryTimeoutError,
  fileSha256,
  type LoadedSource,
  type SourceEngine,
  type SourceEngineOptions,
} from './engine.js';
export { StoreError, runQuiet, duckdbErrorKind } from './errors.js';
