// Why a snapshot could not be used. Never shown to users as a failure: the cache treats it as a miss and rebuilds.
import { VelocityError } from '../errors.js';

/** A snapshot file that is truncated, corrupt, of another format version, or inconsistent with itself. */
export class SnapshotInvalidError extends VelocityError {
  constructor(reason: string) {
    super('SNAPSHOT_INVALID', `snapshot unusable: ${reason}`);
  }
}
