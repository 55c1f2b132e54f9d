/**
 * Core's display check as VS Code draws an output, with the DP releases the gateway's ledger
 * vouches for (by id AND content, core's VerifiedReleases): a value in Privet's DP-release MIME
 * type is otherwise an imitation (a kernel can display any bundle) and core flags it
 * `dp-provenance`. The policy's small-cell threshold and image setting are the signed-in gateway's
 * (core review/display-rules.ts).
 */
import {
  checkOutputAfter,
  holdWhileViewsUnknown,
  type NotebookOutput,
  type ReviewResult,
  type ViewUsed,
} from '@privet/core';
import type { KnownRelease } from '@privet/core/client/index';
import { asDrawn } from '../shared/output-items.js';
import { displaySettings, type DisplayRules } from '@privet/core';

/**
 * Core's display check of `output` as VS Code draws it (LaTeX also as Markdown) with every view
 * (`null` while unknown: a possible table of rows is held), the releases the ledger vouches for
 * and the signed-in gateway's policy rules (`rules`; undefined: core's defaults); a stream part is
 * read as the continuation of `streamContext` (stream-context.ts).
 */
export function checkAsDrawnWith(
  output: NotebookOutput,
  views: readonly ViewUsed[] | null,
  knownRelease: KnownRelease,
  streamContext: string,
  rules: DisplayRules | undefined,
): ReviewResult {
  const drawn = asDrawn(output);
  const result = checkOutputAfter(drawn, streamContext, {
    mode: 'display',
    viewsUsed: views ?? [],
    knownRelease,
    policy: displaySettings(rules),
  });
  return holdWhileViewsUnknown(drawn, result, views !== null);
}
