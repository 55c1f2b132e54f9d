/**
 * Renders jupyter-ext's React components to HTML in Node (react-dom/server), with
 * @jupyterlab/ui-components replaced by fixtures/ui-components.ts (the real one imports SVG and
 * CSS). Only the first render: effects do not run, so a component is shown in the state its
 * props and initial state give it. Import jupyter-ext modules through `load` (after the stub is
 * registered); they are loaded by path because test/tsconfig.json has no JupyterLab types.
 */
import { register } from 'node:module';
import * as React from 'react';
import { renderToStaticMarkup } from 'react-dom/server';

const STUB = new URL('./fixtures/ui-components.ts', import.meta.url).href;
const HOOKS = `export async function resolve(specifier, context, next) {
  if (specifier === '@jupyterlab/ui-components') return next(${JSON.stringify(STUB)}, context);
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(HOOKS)}`);

/** Imports a module of jupyter-ext/src by its path there (e.g. 'panel/ViewList.tsx'). */
export async function load<T>(path: string): Promise<T> {
  return (await import(new URL(`../../jupyter-ext/src/${path}`, import.meta.url).href)) as T;
}

/** The HTML of `component` rendered with `props`. */
export function html<P extends object>(component: (props: P) => unknown, props: P): string {
  return renderToStaticMarkup(
    React.createElement(component as unknown as React.FunctionComponent<P>, props),
  );
}

/** The text of rendered HTML, tags dropped and entities of plain text decoded. */
export function text(markup: string): string {
  return markup
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/\s+/g, ' ')
    .trim();
}
