/** Turns a masked view declaration into compiled SQL columns, deriving each token column's key. */
import type { MaskedView, Policy } from '@privet/core';
import {
  compileOperator,
  deriveTokenKey,
  tokenKeyInfo,
  type CompiledColumn,
} from '@privet/core/mask/index';
import { PublishError } from './errors.js';

/** The published columns of a masked view, in policy order (dropped columns left out). */
export async function compileView(
  policy: Policy,
  viewName: string,
  view: MaskedView,
  masterKey: Uint8Array,
): Promise<CompiledColumn[]> {
  const source = policy.sources[view.source];
  if (!source)
    throw new PublishError(viewName, `unknown source "${view.source}"`, 'name a declared source');
  const out: CompiledColumn[] = [];
  for (const [column, op] of Object.entries(view.columns)) {
    const decl = source.columns[column];
    if (!decl) {
      throw new PublishError(
        viewName,
        `column "${column}" is not declared in source "${view.source}"`,
        'declare it in the source or remove it from the view',
      );
    }
    const key =
      op.op === 'token'
        ? await deriveTokenKey(
            masterKey,
            tokenKeyInfo({ view: viewName, source: view.source, column }, op.join_group),
          )
        : undefined;
    let compiled: CompiledColumn | undefined;
    try {
      compiled = compileOperator(column, op, decl.type, key);
    } catch (err) {
      throw new PublishError(
        viewName,
        `cannot compile operator for column "${column}": ${err instanceof Error ? err.message : String(err)}`,
        `fix views.${viewName}.columns.${column}`,
      );
    }
    if (compiled) out.push(compiled);
  }
  if (out.length === 0)
    throw new PublishError(viewName, 'every column is dropped', 'publish at least one column');
  return out;
}
