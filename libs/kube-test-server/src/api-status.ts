/** A `metav1.Status`, the body of every API error and of 410 watch events. */
export interface ApiStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  code: number;
  details?: { name?: string; group?: string; kind?: string };
}

export function apiStatus(code: number, reason: string, message: string, details?: ApiStatus['details']): ApiStatus {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: code < 400 ? 'Success' : 'Failure',
    message,
    reason,
    code,
    ...(details ? { details } : {}),
  };
}

export const notFound = (kind: string, plural: string, group: string, name: string) =>
  apiStatus(404, 'NotFound', `${plural}${group ? `.${group}` : ''} "${name}" not found`, { name, group, kind: plural });

export const alreadyExists = (plural: string, group: string, name: string) =>
  apiStatus(409, 'AlreadyExists', `${plural}${group ? `.${group}` : ''} "${name}" already exists`, { name, group, kind: plural });

export const conflict = (plural: string, group: string, name: string) =>
  apiStatus(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${plural}${group ? `.${group}` : ''} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group, kind: plural },
  );

/** What kube-apiserver says when a resourceVersion is older than its compacted history. */
export const tooOldResourceVersion = (requested: number, oldest: number) =>
  apiStatus(410, 'Expired', `too old resource version: ${requested} (${oldest})`);

export const expiredContinue = () =>
  apiStatus(
    410,
    'Expired',
    'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
  );
