/** Where batch files are staged for the lakehouse to read. The one seam to S3. */
export interface ObjectStore {
  /** Uploads a local file to `key`; returns the `s3a://` URL the lakehouse reads it from. */
  upload(localPath: string, key: string): Promise<string>;
  /** Writes a small text object (run markers). */
  putText(key: string, text: string): Promise<void>;
  /** The text of a small object (run markers); undefined when there is no such object. */
  getText(key: string): Promise<string | undefined>;
  /** Objects under `prefix`, with when each was last written. */
  list(prefix: string): Promise<Array<{ key: string; lastModified: Date }>>;
  /** Removes staged objects; missing keys are not an error. */
  remove(keys: readonly string[]): Promise<void>;
}
