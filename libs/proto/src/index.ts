// Generated contracts of meridian.v1 (never edited by hand: see tools/proto/generate.mjs).
export * from './generated/google/protobuf/timestamp';
export * from './generated/meridian/v1/common';
export * from './generated/meridian/v1/prober';
export * from './generated/meridian/v1/peer_sync';
export * from './generated/meridian/v1/witness';
export * from './generated/meridian/v1/records';
export * from './generated/meridian/v1/dns';
export { descriptorSet } from './descriptor-set';
