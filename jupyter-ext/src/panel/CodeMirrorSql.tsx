/**
 * The SQL box as JupyterLab's own inline code editor (CodeMirror, as in notebook cells: theme,
 * SQL highlighting, editor settings), with completion of view and column names, Ctrl/Cmd/Shift+
 * Enter to run and Esc to stop. Tab indents, as in a notebook cell; Esc then Tab leaves the box
 * (CodeMirror's own way out), which a line under the box says (its accessible description too).
 * Loaded lazily by SqlEditor.tsx.
 */
import * as React from 'react';
import { CodeEditor, type IEditorServices } from '@jupyterlab/codeeditor';
import { autocompletion, closeCompletion, type CompletionSource } from '@codemirror/autocomplete';
import { schemaCompletionSource } from '@codemirror/lang-sql';
import { EditorState, Prec, type Extension } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import { sqlKeysHint, type SqlEditorProps } from './SqlEditor.js';

/** JupyterLab's inline code editor as an SQL box, kept in step with `value`. */
export default function CodeMirrorSql(
  props: SqlEditorProps & { editors: IEditorServices },
): JSX.Element {
  const host = React.useRef<HTMLDivElement>(null);
  const model = React.useRef<CodeEditor.Model | null>(null);
  // The newest props, read by the editor's keys, change handler and completion.
  const latest = React.useRef(props);
  latest.current = props;
  const hintId = `${React.useId()}-keys`;

  React.useEffect(() => {
    const element = host.current;
    if (!element) return;
    const created = new CodeEditor.Model({ mimeType: 'text/x-sql' });
    created.sharedModel.setSource(latest.current.value);
    const editor = props.editors.factoryService.newInlineEditor({
      host: element,
      model: created,
      extensions: editorExtensions(latest, hintId),
      config: { lineNumbers: false, lineWrap: true, autoClosingBrackets: true },
    });
    const changed = (): void => {
      const text = created.sharedModel.getSource();
      if (text !== latest.current.value) latest.current.onChange(text);
    };
    created.sharedModel.changed.connect(changed);
    model.current = created;
    return () => {
      created.sharedModel.changed.disconnect(changed);
      model.current = null;
      editor.dispose();
      created.dispose();
    };
  }, [props.editors]);

  // A value set from outside (Preview, the first view's query) replaces the editor's text.
  React.useEffect(() => {
    const current = model.current;
    if (current && current.sharedModel.getSource() !== props.value) {
      current.sharedModel.setSource(props.value);
    }
  }, [props.value]);

  return (
    <>
      <div
        ref={host}
        className={`${props.className} jp-Privet-sqlEditor`}
        style={{ minHeight: `calc(${props.rows} * var(--jp-code-line-height) * 1em + 12px)` }}
      />
      <div id={hintId} className="jp-Privet-hint jp-Privet-sqlKeys">
        {sqlKeysHint(props.running === true && props.onStop !== undefined)}
      </div>
    </>
  );
}

/**
 * The editor's own additions: the accessible name and description (the keys line `hintId`), the
 * run/stop keys and name completion.
 */
function editorExtensions(
  latest: React.MutableRefObject<SqlEditorProps>,
  hintId: string,
): Extension[] {
  const act =
    (action: 'run' | 'stop') =>
    (view: EditorView): boolean => {
      const p = latest.current;
      if (action === 'stop' && !(p.running && p.onStop)) return false;
      if (action === 'run') {
        closeCompletion(view); // a completion list left open would cover the result
        p.onRun();
      } else p.onStop?.();
      return true;
    };
  const complete: CompletionSource = (context) => {
    const schema = latest.current.schema;
    if (!schema || Object.keys(schema).length === 0) return null;
    const tables = Object.fromEntries(Object.entries(schema).map(([t, cols]) => [t, [...cols]]));
    // Unqualified names complete to the columns of the first view the statement reads from.
    const from = /\b(?:FROM|JOIN)\s+"?([A-Za-z_]\w*)/i.exec(context.state.doc.toString())?.[1];
    const defaultTable = from && from.toLowerCase() in tables ? from.toLowerCase() : undefined;
    return schemaCompletionSource({ schema: tables, ...(defaultTable ? { defaultTable } : {}) })(
      context,
    );
  };
  return [
    EditorView.contentAttributes.of({
      'aria-label': latest.current.label,
      'aria-describedby': hintId,
    }),
    Prec.highest(
      keymap.of([
        { key: 'Mod-Enter', run: act('run') },
        { key: 'Shift-Enter', run: act('run') },
        { key: 'Escape', run: act('stop') },
      ]),
    ),
    EditorState.languageData.of(() => [{ autocomplete: complete }]),
    autocompletion({ activateOnTyping: true }),
  ];
}
