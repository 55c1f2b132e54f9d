// Why: the fidelity report is computed on raw data inside the gateway and read by stewards (and by
// analysts only when the policy allows it), so its shape is a typed contract shared by both sides.
// Its numbers are NOT differentially private: they compare the synthetic rows with the real ones.

/** One column's distribution, real vs synthetic, over the released domain. */
export interface FidelityColumn {
  name: string;
  /** TVD between the real and synthetic 1-way marginals. */
  tvd: number;
  /** Bars to draw: the largest real categories (rest merged into one "… n more" bar). */
  bars: { label: string; real: number; synthetic: number }[];
}

/** One column pair's association (Cramér's V) in both tables. */
export interface FidelityPair {
  columns: [string, string];
  real: number;
  synthetic: number;
  /** |real − synthetic|. */
  difference: number;
}

/** Train-on-synthetic / test-on-real accuracy for the declared target column. */
export interface FidelityUtility {
  target: string;
  /** Naive Bayes trained on the synthetic rows, accuracy on the real rows. */
  accuracySyntheticOnReal: number;
  /** The same model trained on the real rows (the ceiling, in-sample). */
  accuracyRealOnReal: number;
  /** Always predicting the synthetic majority class (the floor). */
  accuracyMajority: number;
}

/** The fidelity report of one synthetic view (`<state>/views/<view>/fidelity.json`). */
export interface FidelityReport {
  view: string;
  createdAt: string;
  realRows: number;
  syntheticRows: number;
  /** Mean TVD over every 1-, 2- and 3-way marginal (3-way skips marginals above the cell cap). */
  tvd: { oneWay: number; twoWay: number; threeWay: number; threeWaySkipped: number };
  columns: FidelityColumn[];
  correlations: { meanDifference: number; maxDifference: number; pairs: FidelityPair[] };
  utility?: FidelityUtility;
  /** Reminder shown with the numbers: they are computed on raw data. */
  note: string;
}
