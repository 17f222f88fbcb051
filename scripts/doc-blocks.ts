import YAML from 'yaml';
import { resolveConfig } from '../src/config/config.js';
import { envVarName } from '../src/config/env.js';
import { SETTINGS, namesOf } from '../src/config/settings.js';
import { isObject } from '../src/singer/json.js';

/**
 * The checks that keep the documentation's code blocks runnable or valid (test/unit/readme.test.ts
 * runs them over README.md and docs/): config blocks validate against the settings, Meltano blocks
 * name known settings, commands use real flags of the CLI and real npm scripts. Pure: markdown and
 * the facts to check against in, one problem line per broken block out.
 */

export interface CodeBlock {
  /** The fence's info string, first word (`json`, `sh`, ...; '' when none). */
  lang: string;
  text: string;
  /** 1-based line of the opening fence. */
  line: number;
}

/** Pure: the fenced code blocks of a markdown text. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const open = /^(\s*)(```+)\s*([\w-]*)/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[2]!;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !lines[j]!.trimStart().startsWith(fence); j += 1) body.push(lines[j]!.slice(open[1]!.length));
    blocks.push({ lang: open[3]!.toLowerCase(), text: body.join('\n'), line: i + 1 });
    i = j;
  }
  return blocks;
}

/** What a command of the CLI accepts, read from its oclif flags. */
export interface CliFlags {
  /** Long names (without `--`) and one-letter names (without `-`), each with whether it takes a value. */
  takesValue: ReadonlyMap<string, boolean>;
  /** Values an option flag accepts, when it accepts only some. */
  values?: Readonly<Record<string, readonly string[]>>;
}

/** Pure: CliFlags from an oclif `flags` object (`{ name: { type, char } }`); `--help` always exists. */
export function cliFlagsOf(flags: Record<string, { type: string; char?: string }>, values: Record<string, readonly string[]> = {}): CliFlags {
  const takesValue = new Map<string, boolean>([['help', false]]);
  for (const [name, flag] of Object.entries(flags)) {
    takesValue.set(name, flag.type === 'option');
    if (flag.char) takesValue.set(flag.char, flag.type === 'option');
  }
  return { takesValue, values };
}

export interface DocFacts {
  cli: CliFlags;
  /** npm scripts of package.json. */
  npmScripts: readonly string[];
  /** Subcommands of `npm run lakehouse -- <command>`. */
  lakehouseCommands: readonly string[];
  /** A complete, valid config that fragments (a `stream_maps` example) are checked on top of. */
  baseConfig: Record<string, unknown>;
  /** `variant` and `pip_url` of plugin-definition.yml, which a meltano.yml block must repeat. */
  plugin: { variant: string; pip_url: string };
}

const SETTING_NAMES = new Set(SETTINGS.flatMap(namesOf));
const ENV_NAMES = new Map(SETTINGS.flatMap((s) => namesOf(s).map((n) => [envVarName(n), n] as const)));

/** Pure: the names of `config` that are no setting (nor an alias of one). */
export function unknownSettings(config: Record<string, unknown>): string[] {
  return Object.keys(config).filter((k) => !SETTING_NAMES.has(k));
}

/** Pure: a config block (complete, or a fragment checked over `base`) as the target would read it. */
function configProblems(config: Record<string, unknown>, base: Record<string, unknown>): string[] {
  const unknown = unknownSettings(config);
  if (unknown.length > 0) return [`unknown setting(s) ${unknown.map((k) => `'${k}'`).join(', ')}`];
  try {
    resolveConfig('host' in config ? config : { ...base, ...config });
    return [];
  } catch (e) {
    return [(e as Error).message];
  }
}

function jsonProblems(text: string, facts: DocFacts): string[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return [`JSON does not parse: ${(e as Error).message}`];
  }
  // A target config (any key a setting): checked as the target reads it. Other JSON (an IAM policy) only parses.
  if (isObject(value) && Object.keys(value).some((k) => SETTING_NAMES.has(k))) return configProblems(value, facts.baseConfig);
  return [];
}

function yamlProblems(text: string, facts: DocFacts): string[] {
  const docs = YAML.parseAllDocuments(text);
  const errors = docs.flatMap((d) => d.errors.map((e) => e.message));
  if (errors.length > 0) return errors.map((e) => `YAML does not parse: ${e.split('\n')[0]}`);
  const problems: string[] = [];
  for (const doc of docs) {
    const loaders = (doc.toJS() as { plugins?: { loaders?: unknown } } | null)?.plugins?.loaders;
    if (!Array.isArray(loaders)) continue;
    for (const loader of loaders.filter((l): l is Record<string, unknown> => isObject(l) && l.name === 'target-iomete')) {
      if (loader.variant !== undefined && loader.variant !== facts.plugin.variant) problems.push(`variant '${String(loader.variant)}' is not plugin-definition.yml's '${facts.plugin.variant}'`);
      if (loader.pip_url !== undefined && loader.pip_url !== facts.plugin.pip_url) problems.push(`pip_url '${String(loader.pip_url)}' is not plugin-definition.yml's '${facts.plugin.pip_url}'`);
      if (isObject(loader.config)) {
        const unknown = unknownSettings(loader.config);
        if (unknown.length > 0) problems.push(`target-iomete config has unknown setting(s) ${unknown.map((k) => `'${k}'`).join(', ')}`);
      }
    }
  }
  return problems;
}

function dotenvProblems(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'))
    .flatMap((l) => {
      const name = /^([A-Z0-9_]+)=/.exec(l)?.[1];
      if (!name) return [`'${l}' is not NAME=value`];
      return name.startsWith('TARGET_IOMETE_') && !ENV_NAMES.has(name) && !/^TARGET_IOMETE_(LOGLEVEL|LOG_FORMAT)$/.test(name) ? [`${name} names no setting`] : [];
    });
}

/** Pure: shell words of one command line (quotes removed, `$VARS` kept as written). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | undefined;
  let started = false;
  for (const c of line) {
    if (quote) {
      if (c === quote) quote = undefined;
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      started = true;
    } else if (/\s/.test(c)) {
      if (started || word) words.push(word);
      word = '';
      started = false;
    } else {
      word += c;
    }
  }
  if (started || word) words.push(word);
  return words;
}

/** Pure: the commands of a shell block: continuation lines joined, comments dropped, split at `|`, `&&`, `;`. */
export function shellCommands(text: string): string[][] {
  const joined = text.replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((l) => l.replace(/^\$ /, ''))
    .map((l) => l.replace(/(^|\s)#.*$/, ''))
    .filter((l) => l.trim() !== '')
    .flatMap((l) => l.split(/\s*(?:\|\||&&|\||;)\s*/))
    .map(shellWords)
    .map((words) => {
      // Leading variable assignments (`TARGET_IOMETE_TOKEN=... target-iomete ...`) are not the command.
      let i = 0;
      while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!)) i += 1;
      // Output redirections are not arguments.
      return words.slice(i).filter((w, k, all) => !/^[0-9]?>>?$/.test(w) && !/^[0-9]?>>?$/.test(all[k - 1] ?? ''));
    })
    .filter((words) => words.length > 0);
}

/** Pure: the problems of the target's own arguments (flags and their values). */
function targetArgProblems(args: readonly string[], cli: CliFlags): string[] {
  const problems: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (!arg.startsWith('-') || arg === '-') continue;
    const [flag, inline] = arg.startsWith('--') ? (arg.slice(2).split('=', 2) as [string, string?]) : [arg.slice(1), undefined];
    const takesValue = cli.takesValue.get(flag);
    if (takesValue === undefined) {
      problems.push(`target-iomete has no flag '${arg}'`);
      continue;
    }
    if (!takesValue) continue;
    const value = inline ?? args[(i += 1)];
    if (value === undefined) problems.push(`'${arg}' needs a value`);
    else if (cli.values?.[flag] && !cli.values[flag].includes(value.toLowerCase())) problems.push(`'--${flag} ${value}': not one of ${cli.values[flag].join(', ')}`);
  }
  return problems;
}

/** Pure: the problems of one command, for the programs whose arguments the documentation can check. */
function commandProblems(words: readonly string[], facts: DocFacts): string[] {
  const [program, ...rest] = words;
  if (program === 'target-iomete') return targetArgProblems(rest, facts.cli);
  if (program === 'node' && rest[0] === 'bin/run.js') return targetArgProblems(rest.slice(1), facts.cli);
  if (program === 'docker' && rest[0] === 'run') {
    // The image's entrypoint is target-iomete: what follows the image name are its arguments.
    const image = rest.indexOf('target-iomete');
    return image < 0 ? [] : targetArgProblems(rest.slice(image + 1), facts.cli);
  }
  if (program === 'npm' && rest[0] === 'run') {
    const script = rest[1];
    if (script === undefined || !facts.npmScripts.includes(script)) return [`npm has no script '${script ?? ''}'`];
    // `<command>` is a placeholder the prose explains.
    const sub = rest[3];
    if (script === 'lakehouse' && rest[2] === '--' && sub !== undefined && !sub.startsWith('<') && !facts.lakehouseCommands.includes(sub)) return [`the lakehouse command has no '${sub}'`];
    return [];
  }
  if (program === 'npm' && rest[0] === 'test') return facts.npmScripts.includes('test') ? [] : ['npm has no script test'];
  if (program === 'meltano') {
    if (rest[0] === 'invoke' && rest[1] === 'target-iomete') return targetArgProblems(rest.slice(2), facts.cli);
    if (rest[0] === 'config' && rest[1] === 'set' && rest[2] === 'target-iomete' && rest[3] !== undefined && !SETTING_NAMES.has(rest[3])) {
      return [`meltano config set: '${rest[3]}' is no setting`];
    }
  }
  return [];
}

/** Pure: the problems of one block; shell blocks are checked whole, untagged ones for `$ ` command lines only. */
export function blockProblems(block: CodeBlock, facts: DocFacts): string[] {
  switch (block.lang) {
    case 'json':
      return jsonProblems(block.text, facts);
    case 'yaml':
    case 'yml':
      return yamlProblems(block.text, facts);
    case 'dotenv':
      return dotenvProblems(block.text);
    case 'sh':
    case 'shell':
    case 'bash':
      return shellCommands(block.text).flatMap((c) => commandProblems(c, facts));
    default: {
      const commands = block.text
        .split('\n')
        .filter((l) => l.startsWith('$ '))
        .join('\n');
      return shellCommands(commands).flatMap((c) => commandProblems(c, facts));
    }
  }
}

/** Pure: commands quoted inline in the prose (`` `npm ci && npm run package:wheel` ``), with their lines. */
function inlineCommands(markdown: string): Array<{ text: string; line: number }> {
  const found: Array<{ text: string; line: number }> = [];
  let fenced = false;
  for (const [i, line] of markdown.split('\n').entries()) {
    if (line.trimStart().startsWith('```')) fenced = !fenced;
    if (fenced) continue;
    for (const m of line.matchAll(/(?<!`)`([^`]+)`(?!`)/g)) {
      if (/^(target-iomete|npm|meltano|docker run|node bin\/run\.js|[A-Z_]+=\S* target-iomete) /.test(m[1]!)) found.push({ text: m[1]!, line: i + 1 });
    }
  }
  return found;
}

/** Pure: every problem of a markdown file's blocks and inline commands, as `<file>:<line>: <problem>`. */
export function documentProblems(file: string, markdown: string, facts: DocFacts): string[] {
  const blocks = codeBlocks(markdown).flatMap((b) => blockProblems(b, facts).map((p) => `${file}:${b.line}: ${p}`));
  const inline = inlineCommands(markdown).flatMap((c) => shellCommands(c.text).flatMap((words) => commandProblems(words, facts).map((p) => `${file}:${c.line}: ${p}`)));
  return [...blocks, ...inline];
}

/** Pure: GitHub's anchor of a heading (lower case, punctuation dropped, spaces to dashes). */
function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Pure: in-page links (`](#anchor)`) that point at no heading of the text. */
export function brokenAnchors(markdown: string): string[] {
  const outside = markdown.replace(/```[\s\S]*?```/g, '');
  const anchors = new Set<string>();
  for (const m of outside.matchAll(/^#{1,6}\s+(.+)$/gm)) {
    const base = headingAnchor(m[1]!);
    let anchor = base;
    for (let n = 1; anchors.has(anchor); n += 1) anchor = `${base}-${n}`;
    anchors.add(anchor);
  }
  return [...outside.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]!).filter((a) => !anchors.has(a));
}

/** Pure: relative file links (`](docs/x.md)`, `](../README.md#y)`) of a markdown text, without their anchors. */
export function relativeLinks(markdown: string): string[] {
  const outside = markdown.replace(/```[\s\S]*?```/g, '');
  return [...outside.matchAll(/\]\((?!https?:|#|mailto:)([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!);
}

/**
 * Pure: table rows of the troubleshooting section whose error lines the code does not print. The
 * quoted lines write variable parts as `<placeholder>`, optional ones in `[brackets]` and cut the
 * rest with `...`; between them, a literal stretch of 20 characters or more of one of the first
 * cell's code spans must occur in the sources (up to two words at either end may be parts the
 * code fills in, such as `Invalid configuration:` before a problem), so a reworded message fails.
 */
export function unknownErrorLines(section: string, sources: string): string[] {
  const rows = section.split('\n').filter((l) => l.startsWith('| `'));
  return rows.flatMap((row) => {
    const cell = row.split(/(?<!\\)\|/)[1] ?? '';
    const spans = [...cell.matchAll(/(`+)(.+?)\1/g)].map((m) => m[2]!.trim());
    const stretches = spans.flatMap((q) => q.split(/'?<[^>]*>'?|\[[^\]]*\]|\.\.\.|\b\d+\b/)).flatMap(trimmedForms);
    return stretches.some((s) => sources.includes(s)) ? [] : [cell.trim()];
  });
}

/** Pure: a stretch, and the stretch without up to two words at either end, of 20 characters or more. */
function trimmedForms(stretch: string): string[] {
  const words = stretch.trim().split(' ');
  const forms: string[] = [];
  for (let head = 0; head <= 2; head += 1) {
    for (let tail = 0; tail <= 2; tail += 1) forms.push(words.slice(head, words.length - tail).join(' '));
  }
  return forms.filter((f) => f.length >= 20);
}

/** Pure: the text of a `## heading` section, up to the next `## `. */
export function sectionText(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start < 0) return '';
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end < 0 ? undefined : end);
}
