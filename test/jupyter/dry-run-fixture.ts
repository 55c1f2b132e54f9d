/** A DP dry run as the gateway answers it, for the JupyterLab DP box and dry-run view tests. */

const amount = (exact: string) => ({ exact, text: exact });

/** A dry run of COUNT(*) on people costing ε 0.5, with `left` ε before it and `affordable`. */
export function countDryRun(left: string, affordable: boolean) {
  return {
    dryRun: true,
    planHash: '5e1f0c2a9b7d4e31',
    mechanism: 'discrete_laplace',
    alpha: 0.05,
    cost: { measure: 'pure', epsilon: '0.5', sources: ['people'] },
    columns: [{ name: 'n', role: 'aggregate', kind: 'count', halfWidth: 6 }],
    warnings: [],
    budget: [
      {
        source: 'people',
        remainingBefore: { epsilon: amount(left), delta: amount('0') },
        cost: { epsilon: '0.5', delta: '0' },
        affordable,
      },
    ],
  };
}
