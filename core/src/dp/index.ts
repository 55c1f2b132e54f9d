/** DP engine: exact rationals, CSPRNG-backed exact samplers, accounting, measurements, accuracy. */
export * from './errors.js';
export * from './rational.js';
export * from './random.js';
export * from './bernoulli-exp.js';
export * from './discrete-laplace.js';
export * from './discrete-gaussian.js';
export * from './bounds.js';
export * from './accounting.js';
export * from './odometer.js';
export * from './measurement.js';
export * from './transformations.js';
export * from './mechanisms.js';
export * from './tails.js';
export * from './accuracy.js';
export * from './partition.js';
