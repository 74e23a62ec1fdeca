/** Where the query counters come from: this process, or the sum over the cluster's workers. */
export interface StatsSource {
  collectStats(): Promise<Float64Array>;
}
