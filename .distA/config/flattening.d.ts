/**
 * Two spellings of one choice: the original target's `data_flattening_max_level` (a depth, 0 =
 * off) and the Meltano SDK's `flattening_enabled` + `flattening_max_depth` (depth counts only when
 * enabled). Pure: from the raw settings to the depth the engine uses, with every contradiction a
 * problem and a depth that cannot take effect a warning.
 */
export interface FlatteningResolution {
    depth: number;
    problems: string[];
    warnings: string[];
}
export declare function resolveFlattening(raw: Record<string, unknown>): FlatteningResolution;
