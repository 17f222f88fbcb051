import { closestMatch } from 'leven';
import { envVarName } from './env.js';
import { SETTINGS, namesOf, type SettingSpec } from './settings.js';

/** Every name a setting may be given under (canonical and aliases), with its setting. */
const BY_NAME = new Map<string, SettingSpec>(SETTINGS.flatMap((spec) => namesOf(spec).map((name) => [name, spec] as const)));
const NAMES = [...BY_NAME.keys()];

/**
 * Pure: the setting name closest to `given` (case aside), or undefined when none is near. The
 * allowed distance grows with the name: one edit for short names, up to three for long ones,
 * so a typo finds its setting and an unrelated key finds none.
 */
function closestSettingName(given: string): string | undefined {
  const lower = given.toLowerCase();
  const maxDistance = Math.max(1, Math.min(3, Math.floor(lower.length / 4)));
  return closestMatch(lower, NAMES, { maxDistance });
}

export interface UnknownNames {
  /** Top-level keys of the config files that name no setting. */
  keys: readonly string[];
  /** `TARGET_IOMETE_*` variables that name no setting. */
  variables: readonly string[];
}

export interface UnknownReview {
  /** Typos of settings that are not set: the value the user meant would be lost, so the run stops. */
  problems: string[];
  /** Unknown names that are only ignored (no setting is near, or the one near is set as well). */
  notes: string[];
  /** Canonical settings whose absence a typo explains (their own "is required" is not repeated). */
  explained: Set<string>;
}

/**
 * Pure: what to say about names no setting has. A name close to a setting that is not set is a
 * typo whose value would be silently dropped (a `hard_delet: true` loads with soft deletes), so it
 * is an error naming the setting meant; any other unknown name is a warning, so a config written
 * for a newer version, or a variable of another tool with the same prefix, still runs.
 */
export function reviewUnknownNames(unknown: UnknownNames, isSet: (setting: string) => boolean, isRequired: (setting: string) => boolean): UnknownReview {
  const review: UnknownReview = { problems: [], notes: [], explained: new Set() };
  const entries = [
    ...unknown.keys.map((key) => ({ key, shown: (name: string) => `'${name}'`, what: 'key', given: key })),
    ...unknown.variables.map((variable) => ({
      key: variable.slice(envVarName('').length),
      shown: (name: string) => envVarName(name),
      what: 'variable',
      given: variable,
    })),
  ];
  for (const { key, shown, what, given } of entries) {
    const label = what === 'key' ? `'${given}'` : given;
    const near = closestSettingName(key);
    const spec = near === undefined ? undefined : BY_NAME.get(near);
    if (near === undefined || spec === undefined) {
      review.notes.push(`unknown ${what} ${label} ignored (no setting has a similar name)`);
    } else if (isSet(spec.name)) {
      review.notes.push(`unknown ${what} ${label} ignored (did you mean ${shown(near)}? it is set as well)`);
    } else {
      const required = isRequired(spec.name);
      if (required) review.explained.add(spec.name);
      review.problems.push(`unknown ${what} ${label} — did you mean ${shown(near)}?${required ? ' (a required setting)' : ''}`);
    }
  }
  return review;
}
