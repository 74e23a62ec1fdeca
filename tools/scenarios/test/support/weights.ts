/**
 * How far a weighted pick may stray from its weights over n independent queries before we
 * call it wrong.
 *
 * Each query's first address comes from region r with probability p_r = w_r / Σw, so the
 * count of region r over n queries is Binomial(n, p_r): mean n·p_r, standard deviation
 * σ_r = √(n·p_r·(1 − p_r)). We accept a share within p_r ± k·σ_r/n, k = 6. By the normal
 * approximation a correct implementation leaves that band with probability P(|Z| > 6) ≈
 * 2·10⁻⁹ per region. Without approximation, Bernstein's inequality bounds it by
 * 2·exp(−k²/(2 + 2k/(3σ_r))): for weights 60/30/10 and n = 600 (σ = 12, 11.2, 7.3) that is
 * 4·10⁻⁷ + 5·10⁻⁷ + 1.4·10⁻⁶, under 3·10⁻⁶ for the whole test — a flake
 * rate nobody will ever see. Wrong implementations land far outside: with weights 60/30/10
 * and n = 600, the band for p = 0.6 is 0.48–0.72, so a uniform pick (1/3), always-first
 * (1.0) or an unweighted rotation fails, and so does a resolver or cache hiding the pick.
 */
export interface ShareBand {
  /** The weight's share, w / Σw. */
  readonly expected: number;
  readonly low: number;
  readonly high: number;
}

export function weightBands(weights: Readonly<Record<string, number>>, n: number, k = 6): Record<string, ShareBand> {
  const total = Object.values(weights).reduce((a, b) => a + b, 0);
  if (!(total > 0) || !Number.isInteger(n) || n < 1) throw new Error(`weights must sum to more than 0 and n must be a positive integer (got ${total}, ${n})`);
  return Object.fromEntries(
    Object.entries(weights).map(([region, w]) => {
      const p = w / total;
      const spread = (k * Math.sqrt(p * (1 - p))) / Math.sqrt(n);
      return [region, { expected: p, low: Math.max(0, p - spread), high: Math.min(1, p + spread) }];
    }),
  );
}

/** Shares of each value among `samples` (value → fraction of samples). */
export function shares(samples: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of samples) counts[s] = (counts[s] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).map(([v, c]) => [v, c / samples.length]));
}
