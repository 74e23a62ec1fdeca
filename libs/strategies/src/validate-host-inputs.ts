import type { HostInputs } from './host-inputs';
import { REGION_VERDICTS } from './region-verdict';
import { validateStalenessLimits } from './staleness-limits';
import { StrategyConfigError } from './strategy-config-error';

/**
 * Every inconsistency in the inputs `records` assembled for a host (besides the spec):
 * these are wiring bugs, so they are reported loudly rather than guessed around.
 */
export function validateHostInputs(inputs: HostInputs): StrategyConfigError[] {
  const errors: StrategyConfigError[] = [];
  if (typeof inputs.localGeoTag !== 'string' || inputs.localGeoTag === '') {
    errors.push(new StrategyConfigError('localGeoTag', inputs.localGeoTag, 'must be a non-empty geotag', "pass this region's geotag"));
  }
  if (!Number.isFinite(inputs.nowMs)) {
    errors.push(new StrategyConfigError('nowMs', inputs.nowMs, 'must be a finite time in ms', 'pass the injected clock reading'));
  }
  if (inputs.limits !== undefined) errors.push(...validateStalenessLimits(inputs.limits));
  const seen = new Set<string>();
  inputs.regions.forEach((region, i) => {
    const path = `regions[${i}]`;
    if (seen.has(region.geoTag)) {
      errors.push(new StrategyConfigError(`${path}.geoTag`, region.geoTag, 'appears twice', 'merge the two entries of this region'));
    }
    seen.add(region.geoTag);
    if (region.local !== (region.geoTag === inputs.localGeoTag)) {
      errors.push(
        new StrategyConfigError(`${path}.local`, region.local, `disagrees with localGeoTag "${inputs.localGeoTag}"`, 'mark exactly the region whose geotag is localGeoTag as local'),
      );
    }
    if (!REGION_VERDICTS.includes(region.verdict)) {
      errors.push(new StrategyConfigError(`${path}.verdict`, region.verdict, 'is not a known verdict', `use one of: ${REGION_VERDICTS.join(', ')}`));
    }
    if (!region.local && !Number.isFinite(region.observedAtMs)) {
      errors.push(new StrategyConfigError(`${path}.observedAtMs`, region.observedAtMs, 'must be a finite time in ms', 'pass when the owner last confirmed this data'));
    }
  });
  return errors;
}
