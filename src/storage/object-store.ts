/** Where batch files are staged for the lakehouse to read. The one seam to S3. */
export interface ObjectStore {
  /** Uploads a local file to `key`; returns the `s3a://` URL the lakehouse reads it from. */
  upload(localPath: string, key: string): Promise<string>;
  /** Removes staged objects; missing keys are not an error. */
  remove(keys: readonly string[]): Promise<void>;
}
