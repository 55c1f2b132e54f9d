/** The part of react-dom/server that render.ts uses (the repository has no @types/react-dom). */
declare module 'react-dom/server' {
  /** The HTML of a React element's first render, without React's markers. */
  export function renderToStaticMarkup(element: import('react').ReactElement): string;
}
