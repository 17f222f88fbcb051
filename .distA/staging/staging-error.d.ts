import { TargetError } from '../errors.js';
/** A batch file could not be written (disk full, too many open files, bad temp_dir). */
export declare class StagingError extends TargetError {
}
