/**
 * Two spellings of one choice: the original target's `data_flattening_max_level` (a depth, 0 =
 * off) and the Meltano SDK's `flattening_enabled` + `flattening_max_depth` (depth counts only when
 * enabled). Pure: from the raw settings to the depth the engine uses, with every contradiction a
 * problem and a depth that cannot take effect a warning.
 */
const given = (v) => v !== undefined && v !== null;
export function resolveFlattening(raw) {
    const problems = [];
    const warnings = [];
    const enabled = raw.flattening_enabled;
    const depth = raw.flattening_max_depth;
    const legacy = raw.data_flattening_max_level;
    const legacyDepth = typeof legacy === 'number' ? legacy : 0;
    // Type errors are reported by the schema validation; only well-typed values are compared here.
    if (given(enabled) && typeof enabled !== 'boolean')
        return { depth: legacyDepth, problems, warnings };
    if (enabled === true) {
        if (!given(depth)) {
            problems.push("'flattening_enabled' is true but 'flattening_max_depth' is not set; set the depth (1 opens one level of nesting)");
            return { depth: legacyDepth, problems, warnings };
        }
        if (typeof depth !== 'number')
            return { depth: legacyDepth, problems, warnings };
        if (given(legacy) && legacy !== depth) {
            problems.push(`'flattening_max_depth' (${depth}) and 'data_flattening_max_level' (${String(legacy)}) disagree; keep one of them`);
        }
        return { depth, problems, warnings };
    }
    if (enabled === false) {
        if (legacyDepth > 0) {
            problems.push(`'flattening_enabled' is false but 'data_flattening_max_level' is ${legacyDepth}; keep one of them`);
        }
        return { depth: 0, problems, warnings };
    }
    if (given(depth)) {
        warnings.push("'flattening_max_depth' has no effect without 'flattening_enabled: true' (as in Meltano SDK targets); objects are kept whole");
    }
    return { depth: legacyDepth, problems, warnings };
}
//# sourceMappingURL=flattening.js.map