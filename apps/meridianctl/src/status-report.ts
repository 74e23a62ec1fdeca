import type { GetServingStatusResponse, PeerStatus, RegionVerdict } from '@meridian/proto';

/** A part of the status that either answered or failed with a message. */
export type Part<T> = { ok: true; value: T } | { ok: false; error: string };

/** What `status` gathers from one region; each part independently, so one dead service does not hide the rest. */
export interface StatusReport {
  region: string;
  verdicts: Part<RegionVerdict[]>;
  peers: Part<PeerStatus[]>;
  zone: Part<{ epoch: string; version: number; zones: string[] }>;
  dns: Part<GetServingStatusResponse>;
  prober: Part<{ region: string; hosts: number; problems: number }>;
}

export async function settle<T>(promise: Promise<T>): Promise<Part<T>> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

export function failedParts(report: StatusReport): string[] {
  return [report.verdicts, report.peers, report.zone, report.dns, report.prober].flatMap((part) => (part.ok ? [] : [part.error]));
}
