import type { SingleSelector, RotateSelector } from './answer-plan';
import type { Target } from './target';

/**
 * Rotation variants are precomputed, so their number is capped: a host with more targets
 * gets this many rotations at evenly spaced offsets instead of one per target.
 */
export const MAX_ROTATION_VARIANTS = 16;

/** The same list without repeated addresses (first one wins), as plain targets. */
export function distinctTargets(targets: Iterable<Target>): Target[] {
  const seen = new Set<string>();
  const out: Target[] = [];
  for (const { address, family } of targets) {
    const key = `${family}/${address}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ address, family });
  }
  return out;
}

/** A stable key for a target list, to deduplicate variants. */
export function targetListKey(targets: readonly Target[]): string {
  return targets.map((t) => `${t.family}/${t.address}`).join(' ');
}

/**
 * Rotations of `targets` as variants: variant i starts at offset floor(i·n/count), where
 * count = min(n, cap). With n ≤ cap that is exactly rotation i.
 */
export function rotations(
  targets: readonly Target[],
  cap: number = MAX_ROTATION_VARIANTS,
): { variants: Target[][]; selector: SingleSelector | RotateSelector } {
  const n = targets.length;
  if (n <= 1) return { variants: [[...targets]], selector: { kind: 'single' } };
  const count = Math.min(n, Math.max(1, Math.floor(cap)));
  const variants: Target[][] = [];
  for (let i = 0; i < count; i++) {
    const offset = Math.floor((i * n) / count);
    variants.push([...targets.slice(offset), ...targets.slice(0, offset)]);
  }
  return { variants, selector: { kind: 'rotate' } };
}
