import type { ActivateVersionMessage, RecordMessage, SchemaMessage, SingerMessage } from '../singer/messages.js';
/**
 * Meltano SDK stream maps (`stream_maps`, `stream_map_config`) as a pure message transformer that
 * sits between message parsing and the engine: a SCHEMA becomes zero or more SCHEMAs (removed,
 * aliased, duplicated with `__source__`), a RECORD zero or more RECORDs (filtered, properties
 * dropped, added or replaced by expressions), an ACTIVATE_VERSION follows its stream's outputs,
 * and every other message passes unchanged.
 *
 * Semantics follow the SDK's documentation: config entries are applied in order, an exact or
 * wildcard (`*`, `?`, `[...]`) key selects source streams and the last primary match wins,
 * `__else__: null` at the top drops unmapped streams and inside a map drops unmapped properties
 * (key properties stay), expressions see the original record. Two deliberate differences: a
 * property the schema declares but the record omits reads as None instead of failing, and
 * `__else__: null` keeps the key properties in the schema as the docs say (not only in records).
 */
export declare const NULL_STRING = "__NULL__";
export interface StreamMapSettings {
    stream_maps?: Record<string, unknown>;
    stream_map_config?: Record<string, unknown>;
}
/** fnmatch-style wildcard (Python's, as the SDK uses): `*` any run, `?` one character, `[...]` a set. */
export declare function wildcardPattern(selector: string): RegExp | undefined;
/** Every problem of the `stream_maps` / `stream_map_config` settings, one line each (for config validation). */
export declare function streamMapProblems(settings: StreamMapSettings): string[];
export declare class StreamMapper {
    private readonly entries;
    private readonly dropUnmappedStreams;
    private readonly mapConfig;
    private readonly sources;
    constructor(settings: StreamMapSettings);
    /** True when records of `stream` must go through `mapRecord` (it is dropped, renamed, copied or changed). */
    transforms(stream: string): boolean;
    /** Messages the engine receives for one input message. */
    map(message: SingerMessage, line: number): SingerMessage[];
    mapSchema(message: SchemaMessage): SchemaMessage[];
    mapRecord(message: RecordMessage, line: number): RecordMessage[];
    mapActivateVersion(message: ActivateVersionMessage): ActivateVersionMessage[];
    /** The SDK's matching: entries in order, primary matches replace the stream's own output, `__source__` ones add outputs. */
    private outputsFor;
    private mappedOutput;
    private transform;
    /** Evaluates one rule; a failure names the rule as the config does, the expression, the line and the stream. */
    private run;
}
