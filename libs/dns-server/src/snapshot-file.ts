import { readFileSync } from 'node:fs';
import { ZoneSnapshot } from '@meridian/proto';
import type { ZoneEvent } from './zone-feed';

/** A snapshot file that cannot be read or does not hold a zone snapshot; names the file. */
export class SnapshotFileError extends Error {
  override readonly name = 'SnapshotFileError';
  constructor(
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${path}: ${message}`, options);
  }
}

/**
 * Reads a zone snapshot file: JSON `{ "version": 42, "epoch": "optional", "snapshot": <the
 * ZoneSnapshot in proto3 JSON> }`. For tests, benchmarks and emergencies (records down at a
 * cold start).
 */
export function readSnapshotFile(path: string): Extract<ZoneEvent, { kind: 'snapshot' }> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new SnapshotFileError(path, code === 'ENOENT' ? 'the file does not exist' : `cannot be read (${code})`, { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new SnapshotFileError(path, `is not JSON: ${(cause as Error).message}`, { cause });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new SnapshotFileError(path, 'must hold an object: { "version": N, "snapshot": { "zones": [...] } }');
  }
  const { version, epoch, snapshot } = json as { version?: unknown; epoch?: unknown; snapshot?: unknown };
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0) {
    throw new SnapshotFileError(path, `"version" must be a whole number ≥ 0, got ${JSON.stringify(version)}`);
  }
  if (typeof snapshot !== 'object' || snapshot === null) throw new SnapshotFileError(path, '"snapshot" must be a ZoneSnapshot object');
  let parsed: ZoneSnapshot;
  try {
    parsed = ZoneSnapshot.fromJSON(snapshot);
  } catch (cause) {
    throw new SnapshotFileError(path, `"snapshot" is not a ZoneSnapshot: ${(cause as Error).message}`, { cause });
  }
  return { kind: 'snapshot', epoch: typeof epoch === 'string' && epoch ? epoch : `file:${path}`, version, snapshot: parsed };
}
