// ESLint flat config. The one architectural rule: core/ knows no host (no JupyterLab, Lumino,
// VS Code or Node built-ins), so it runs unchanged in browsers, the extension host and the gateway.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const hostImports = {
  patterns: [
    {
      group: ['@jupyterlab/*', '@lumino/*'],
      message: 'core/ must not import JupyterLab or Lumino.',
    },
    { group: ['vscode', 'vscode/*', 'vscode-*'], message: 'core/ must not import VS Code APIs.' },
    { group: ['node:*'], message: 'core/ must not import Node built-ins; take I/O from the host.' },
  ],
  paths: [
    'fs',
    'path',
    'crypto',
    'os',
    'child_process',
    'http',
    'https',
    'net',
    'worker_threads',
    'stream',
    'url',
    'util',
    'buffer',
    'events',
    'zlib',
  ].map((name) => ({ name, message: 'core/ must not import Node built-ins.' })),
};

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '.venv/**',
      '.venv-reference/**',
      'data/**',
      '**/lib/**',
      '.privet/**',
      'jupyter-ext/privet_jupyter/labextension/**',
      'test-results/**',
      '.cache/**',
      'vscode-ext/build/**',
      'vscode-ext/dist-vsix/**',
      'playwright-report/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'Math',
          property: 'random',
          message: 'Use a CSPRNG (globalThis.crypto) for anything privacy-related.',
        },
      ],
    },
  },
  {
    files: ['core/src/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': ['error', hostImports] },
  },
);
