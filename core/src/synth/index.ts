/** DP synthetic data (marginal-based, ρ-zCDP) and fidelity metrics — the synth part of @privet/core. */
export * from './budget.js';
export * from './classifier.js';
export * from './compress.js';
export * from './encode.js';
export * from './errors.js';
export * from './fit.js';
export * from './metrics.js';
export * from './noise.js';
export * from './sample.js';
export * from './seeded-random.js';
export * from './synthesize.js';
export * from './table.js';
export * from './tvd.js';
export * from './fidelity.js';
export * from './fidelity-svg.js';
export * from './fidelity-types.js';
export * from './view.js';
