export { localTargetsName } from './localtargets-name';
export { LocalTargetsReader, type K8gbNameserver, type LocalTargetsAnswer } from './localtargets-reader';
export { K8gbPeerUnreachableError } from './k8gb-peer-error';
