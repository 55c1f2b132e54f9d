// Why: the UI tests publish the demo's synthetic zip as full ZIP codes, not the demo policy's
// 3-digit area (gateway-process.ts), to show the thin-column warning. Their most common zip (373
// of 12,000 patients) is about one noise deviation above the DP discovery threshold (about 308
// rows at ε = 1). So most publishes keep it (the "only 1 value … (other)" warning) and about one
// in eight drops every zip (the "no value" warning). Both tell the steward the same thing; tests
// accept either, never no warning.

/** The message of the zip column's thin-domain warning, in either of its two forms. */
export const THIN_ZIP_MESSAGE =
  /(only \d+ values? of "zip" (is|are) held by enough rows to pass DP domain discovery \(about \d+ rows at ε = 1\), so \d+% of synthetic "zip" are "\(other\)"|no value of "zip" is held by enough rows to pass DP domain discovery \(about \d+ rows at ε = 1\), so every synthetic "zip" is empty or "\(other\)")/;

/** The start of that warning's fix, the same in both forms. */
export const THIN_ZIP_FIX = 'Fix: declare the public categories of "zip" in the source';
