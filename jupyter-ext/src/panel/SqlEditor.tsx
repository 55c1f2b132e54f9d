/**
 * The panel's SQL boxes: JupyterLab's own code editor (CodeMirror, as in notebook cells: the
 * theme, SQL highlighting, the editor settings) with completion of view and column names,
 * Ctrl/Cmd/Shift+Enter to run and Esc to stop. Without JupyterLab's editor services (tests that
 * render the panel on a fake DOM) it is a plain textarea with the same keys.
 */
import * as React from 'react';
import type { IEditorServices } from '@jupyterlab/codeeditor';

// Loaded when first shown: CodeMirror needs a real page (the panel's tests use a fake DOM).
const CodeMirrorSql = React.lazy(() => import('./CodeMirrorSql.js'));

/** Table names and their columns, offered as completions. */
export type SqlSchema = Readonly<Record<string, readonly string[]>>;

/** Props of SqlEditor. */
export interface SqlEditorProps {
  value: string;
  onChange: (text: string) => void;
  /** Ctrl/Cmd+Enter or Shift+Enter. */
  onRun: () => void;
  /** Esc while `running` (Esc is left to the editor and JupyterLab otherwise). */
  onStop?: () => void;
  running?: boolean;
  /** The accessible name (e.g. "SQL query"). */
  label: string;
  className: string;
  rows: number;
  /** Views and columns to complete (none: no completion). */
  schema?: SqlSchema;
  /** JupyterLab's editor services (null: a plain textarea). */
  editors?: IEditorServices | null;
}

/** An SQL box: JupyterLab's code editor when its services are given, else a textarea. */
export function SqlEditor(props: SqlEditorProps): JSX.Element {
  if (!props.editors) return <TextareaSql {...props} />;
  return (
    <React.Suspense fallback={<TextareaSql {...props} />}>
      <CodeMirrorSql {...props} editors={props.editors} />
    </React.Suspense>
  );
}

/**
 * The line under an SQL editor: how to leave it by keyboard (Tab indents, as in a notebook cell)
 * and, while its query runs, that Esc stops it first (a second Esc then Tab leaves).
 */
export function sqlKeysHint(stoppable: boolean): string {
  return stoppable
    ? 'Esc stops the query; Esc again then Tab leaves the editor'
    : 'Esc then Tab leaves the editor';
}

/** What a key press in an SQL box asks for. */
function keyAction(
  key: { key: string; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean },
  running: boolean,
): 'run' | 'stop' | null {
  if (key.key === 'Enter' && (key.ctrlKey || key.metaKey || key.shiftKey)) return 'run';
  if (key.key === 'Escape' && running) return 'stop';
  return null;
}

/** The textarea SQL box (no editor services). */
function TextareaSql(props: SqlEditorProps): JSX.Element {
  return (
    <textarea
      className={props.className}
      aria-label={props.label}
      value={props.value}
      spellCheck={false}
      rows={props.rows}
      onChange={(e) => props.onChange(e.target.value)}
      onKeyDown={(e) => {
        const action = keyAction(e, props.running === true);
        if (!action) return;
        e.preventDefault();
        // Esc stops the query it started (and is not passed on to close the panel).
        if (action === 'stop') e.stopPropagation();
        if (action === 'run') props.onRun();
        else props.onStop?.();
      }}
    />
  );
}
