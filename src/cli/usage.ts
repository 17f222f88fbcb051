import { closestMatch } from 'leven';

/** What one invocation does: a load, or one of the modes that print a document. */
export type Mode = 'load' | 'about' | 'discover-capabilities' | 'check' | 'version';

/** The `--format` values each mode prints; the others print no document. */
const FORMATS: Partial<Record<Mode, readonly string[]>> = {
  about: ['text', 'json', 'markdown'],
  check: ['text', 'json'],
  'discover-capabilities': ['json'],
};

function either(values: readonly string[]): string {
  return values.length === 1 ? `${values[0]} only` : `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`;
}

const WHERE_FORMAT_APPLIES = `--format is for ${Object.keys(FORMATS).map((m) => `--${m}`).join(', ')}`;

/**
 * Pure: why `--format` does not fit `mode`, or undefined. One wording for every mode, so the
 * messages agree: what was given, what the mode prints, where `--format` applies.
 */
export function formatProblem(mode: Mode, format: string | undefined): string | undefined {
  if (format === undefined) return undefined;
  const formats = FORMATS[mode];
  if (formats?.includes(format.toLowerCase())) return undefined;
  if (formats) return `--format ${format}: --${mode} prints ${either(formats)}`;
  return `--format ${format}: ${mode === 'load' ? 'a load' : `--${mode}`} prints no document; ${WHERE_FORMAT_APPLIES}`;
}

/**
 * Pure: the line for flags the command does not have, each with the closest flag when one is
 * near (`--confg` -> `--config`).
 */
export function unknownFlagsMessage(given: readonly string[], flags: readonly string[]): string {
  const parts = given.map((flag) => {
    const name = flag.split('=')[0]!;
    const near = closestMatch(name, flags, { maxDistance: Math.max(1, Math.min(3, Math.floor(name.length / 4))) });
    return near ? `${name} (did you mean ${near}?)` : name;
  });
  return `Unknown flag${given.length === 1 ? '' : 's'} ${parts.join(', ')}; see --help`;
}
