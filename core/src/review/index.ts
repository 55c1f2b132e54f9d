/** Output review: checks notebook outputs (every MIME type) for identifiers and disclosure risks. */
export * from './types.js';
export {
  DP_RELEASE_MIME,
  digestOfContent,
  releaseContentText,
  releaseDigest,
  releaseIdOf,
  releaseLookupOutput,
  wholeRelease,
} from './dp-release.js';
export {
  checkOutput,
  holdingRules,
  identifierSpans,
  joinText,
  redact,
  unreadableResult,
} from './check.js';
export {
  checkNotebook,
  type NotebookLike,
  type NotebookReview,
  type OutputReview,
} from './notebook.js';
export { delimitedAsTabs, fileMimeType, fileOutputs, type FileContent } from './file-outputs.js';
export { checkOutputAfter, StreamChecker, streamContextBefore } from './stream.js';
export {
  WidgetStateBook,
  widgetCheckInput,
  widgetFinding,
  widgetModelId,
  widgetUncheckedFinding,
  withFinding,
  WIDGET_STATE_MIME,
  WIDGET_VIEW_MIME,
  type KernelMessageLike,
  type WidgetCheckInput,
  type WidgetClosure,
} from './widget-state.js';
export { FrontendEchoes } from './widget-echo.js';
export {
  displaySettings,
  displaySettingsKey,
  exportRulesOf,
  type DisplaySettings,
  type DisplayRules,
} from './display-rules.js';
export { holdWhileViewsUnknown, viewsUnknownFinding, viewUsedOf } from './views-unknown.js';
export {
  approvalHash,
  approvalText,
  approvalTextAt,
  outputContentHash,
  outputContentText,
} from './content-hash.js';
export {
  savedPlaceholder,
  withholdForSave,
  SAVED_PLACEHOLDER_PREFIX,
  type SaveFilterOptions,
  type SaveFilterResult,
} from './save-filter.js';
export {
  normalize,
  foldUnicode,
  stripTags,
  type NormalizedText,
  type StrippedMarkup,
} from './normalize.js';
export { luhnValid, ibanValid, ssnValid, nanpValid, cardValid, emailValid } from './validators.js';
export type { Table } from './table.js';
export {
  candidateWords,
  leakCandidates,
  MAX_LEAK_CHECK_OUTPUTS,
  MAX_WORDS,
  shownTextCandidates,
  textLeakCandidates,
} from './leak-candidates.js';
export { drawnMetadata } from './drawn-metadata.js';
export { outputParts, previewIsPartial, type OutputPart } from './whole-output.js';
export { groupFindings, type FindingGroup } from './finding-groups.js';
export { PREVIEW_LIMIT } from './sink.js';
