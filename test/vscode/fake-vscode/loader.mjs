// Module hook for tests of extension-host code under Node: `import ... from 'vscode'` loads the
// fake API next to this file (index.ts) instead of VS Code's, which only exists inside VS Code.
export async function resolve(specifier, context, next) {
  if (specifier === 'vscode') return next(new URL('./index.ts', import.meta.url).href, context);
  return next(specifier, context);
}
