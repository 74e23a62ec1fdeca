import { DESCRIPTOR_SET_BASE64 } from './generated/descriptor-set';

let decoded: Buffer | undefined;

/** The serialized FileDescriptorSet of every meridian.v1 file and its imports. */
export function descriptorSet(): Buffer {
  decoded ??= Buffer.from(DESCRIPTOR_SET_BASE64, 'base64');
  return decoded;
}
