/** Reads and merges config files; later files win key by key. */
export declare function readConfigFiles(paths: readonly string[]): Promise<Record<string, unknown>>;
