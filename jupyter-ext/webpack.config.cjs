// Extra rspack config merged by @jupyter/builder: copies duckdb-wasm's worker and wasm into the
// extension's own static folder (served by Jupyter at /lab/extensions/@privet/jupyter-ext/static/)
// so the engine never loads from a CDN. Only the "eh" (wasm exceptions) bundle is shipped: every
// browser JupyterLab 4 supports has wasm exceptions, and each bundle is ~35 MB.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- @jupyter/builder require()s this file
const { CopyRspackPlugin } = require('@rspack/core');

const assets = [
  '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm',
  '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js',
];

module.exports = {
  // The wasm engine is big by nature; size hints stay on for our own code.
  performance: { assetFilter: (file) => !file.startsWith('duckdb/') && !file.endsWith('.map') },
  plugins: [
    new CopyRspackPlugin({
      patterns: assets.map((id) => ({ from: require.resolve(id), to: 'duckdb/[name][ext]' })),
    }),
  ],
};
