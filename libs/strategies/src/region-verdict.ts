/**
 * The witness quorum's opinion of a region: DOWN only when a quorum reports it unreachable,
 * ALIVE when a quorum sees it, UNKNOWN otherwise (no quorum either way).
 */
export type RegionVerdict = 'ALIVE' | 'DOWN' | 'UNKNOWN';

export const REGION_VERDICTS: readonly RegionVerdict[] = ['ALIVE', 'DOWN', 'UNKNOWN'];
