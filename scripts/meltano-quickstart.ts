import YAML from 'yaml';
import { packageInfo } from '../src/cli/package-info.js';
import { envVarName } from '../src/config/env.js';
import { SETTINGS } from '../src/config/settings.js';

/**
 * The Meltano commands a user runs to load data with target-iomete, in one list: the README's
 * Meltano section is rendered from it (scripts/generated-files.ts, with example values) and
 * test/integration/meltano.test.ts runs exactly these commands (with the local lakehouse's values),
 * so the README cannot drift from what is tested. Meltano 4 syntax.
 */

export interface QuickstartValues {
  /** `meltano init` folder. */
  project: string;
  /** --from-ref: the plugin definition's path or URL. */
  definition: string;
  /** The wheel pip installs until target-iomete is on PyPI (a path or a URL). */
  wheel: string;
  /** Every setting of SETTINGS_TO_SET, as `meltano config set` gets it on the command line. */
  settings: Readonly<Record<string, string>>;
  /** The extractor of the pipeline, and how it is added (a Hub plugin needs nothing more). */
  tap: string;
  tapFrom: string[];
}

export type QuickstartStep =
  /**
   * `part`: the setup (no part) ends with the `--check` that proves the configuration, `run` loads
   * data; `test` steps only the Meltano test runs (the README does not show them).
   */
  | { kind: 'command'; argv: string[]; part?: 'run' | 'test' }
  | { kind: 'cd'; dir: string }
  /** meltano.yml, loader target-iomete: `pip_url` set to the wheel (an edit, not a command). */
  | { kind: 'pip-url'; wheel: string };

/**
 * The setting that takes the iomete personal access token: `token`, which dbt-iomete also uses;
 * `password` is its older name (the seed target's), taken while the settings list has no `token`.
 */
export const TOKEN_SETTING: string = SETTINGS.some((s) => s.name === 'token') ? 'token' : 'password';

/**
 * What an iomete user sets: the lakehouse (host, data plane, name), who connects, the staging
 * bucket and its credentials, the target schema. Everything else has a default that fits iomete
 * and AWS S3. The README shows these and the Meltano test sets them.
 */
export const IOMETE_SETTINGS: readonly string[] = [
  'host',
  'data_plane',
  'lakehouse',
  'user',
  TOKEN_SETTING,
  's3_bucket',
  's3_key_prefix',
  's3_region_name',
  'aws_access_key_id',
  'aws_secret_access_key',
  'default_target_schema',
];

/**
 * Endpoint settings whose defaults fit iomete and AWS S3 but not the local lakehouse (plain HTTP
 * on its own port, an S3 server on localhost): the test sets them after the iomete ones, the
 * README does not show them.
 */
const LOCAL_ENDPOINT_SETTINGS: readonly string[] = ['port', 'scheme', 's3_endpoint_url', 's3_force_path_style'];

/** Every setting a quickstart may set; the test checks that the local lakehouse config has exactly these. */
export const SETTINGS_TO_SET: readonly string[] = [...IOMETE_SETTINGS, ...LOCAL_ENDPOINT_SETTINGS];

/** The canonical name of a setting given under one of its names (an alias such as `max_parallelism`). */
export function canonicalSettingName(name: string): string {
  return SETTINGS.find((s) => s.name === name || (s.aliases ?? []).includes(name))?.name ?? name;
}

/** The settings that are secrets: `meltano config set` keeps them in `.env`, never in meltano.yml. */
function isSecretSetting(name: string): boolean {
  return SETTINGS.some((s) => s.name === name && s.secret === true);
}

/** Meltano's state id of `meltano run <tap> target-iomete` in the `dev` environment `meltano init` makes the default. */
export function stateId(tap: string): string {
  return `dev:${tap}-to-target-iomete`;
}

/** Pure: the steps, in order: setting up to a passing `--check`, then the first run. */
export function quickstartSteps(values: QuickstartValues): QuickstartStep[] {
  const command = (...argv: string[]): QuickstartStep => ({ kind: 'command', argv: ['meltano', ...argv] });
  const run = (...argv: string[]): QuickstartStep => ({ kind: 'command', argv: ['meltano', ...argv], part: 'run' });
  const local = LOCAL_ENDPOINT_SETTINGS.filter((name) => values.settings[name] !== undefined);
  return [
    command('init', values.project, '--no-usage-stats'),
    { kind: 'cd', dir: values.project },
    // --no-install: the install comes once pip_url names something pip can get.
    command('add', '--plugin-type', 'loader', 'target-iomete', '--from-ref', values.definition, '--no-install'),
    { kind: 'pip-url', wheel: values.wheel },
    command('install'),
    ...[...IOMETE_SETTINGS, ...local].map((name) => command('config', 'set', 'target-iomete', name, settingValue(values, name))),
    command('config', 'list', 'target-iomete'),
    command('invoke', 'target-iomete', '--check'),
    { kind: 'command', argv: ['meltano', 'invoke', 'target-iomete', '--about', '--format', 'json'], part: 'test' },
    run('add', '--plugin-type', 'extractor', values.tap, ...values.tapFrom),
    run('run', values.tap, 'target-iomete'),
    run('state', 'get', stateId(values.tap)),
  ];
}

function settingValue(values: QuickstartValues, name: string): string {
  const value = values.settings[name];
  if (value === undefined) throw new Error(`quickstart: no value for setting ${name}`);
  return value;
}

/** The values the README shows: a lakehouse on iomete, staging on AWS S3, secrets from the shell (no endpoint settings: the defaults fit). */
export const README_VALUES: QuickstartValues = {
  project: 'my-project',
  definition: 'https://raw.githubusercontent.com/iomete/target-iomete/main/plugin-definition.yml',
  wheel: `/path/to/target_iomete-${packageInfo().version}-py3-none-any.whl`,
  settings: {
    host: 'dev.iomete.cloud',
    data_plane: 'default',
    lakehouse: 'my-lakehouse',
    user: 'jane.doe',
    [TOKEN_SETTING]: '$IOMETE_TOKEN',
    s3_bucket: 'my-staging-bucket',
    s3_key_prefix: 'singer/',
    s3_region_name: 'eu-west-1',
    aws_access_key_id: '$AWS_ACCESS_KEY_ID',
    aws_secret_access_key: '$AWS_SECRET_ACCESS_KEY',
    default_target_schema: 'raw',
  },
  tap: 'tap-postgres',
  tapFrom: [],
};

/** Pure: one shell word; `$NAME` stays a variable (double quotes), anything unusual is single-quoted. */
export function shellWord(word: string): string {
  if (/^[\w./:@=+-]+$/.test(word)) return word;
  if (/^\$[A-Z_][A-Z0-9_]*$/.test(word)) return `"${word}"`;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Pure: one part of the steps (setup to `--check`, or the first run) as a README shell block. */
export function renderQuickstart(values: QuickstartValues = README_VALUES, part: 'setup' | 'run' | 'test' = 'setup'): string {
  const lines: string[] = [];
  for (const step of quickstartSteps(values)) {
    if ((step.kind === 'command' ? (step.part ?? 'setup') : 'setup') !== part) continue;
    if (step.kind === 'command') lines.push(step.argv.map(shellWord).join(' '));
    else if (step.kind === 'cd') lines.push(`cd ${shellWord(step.dir)}`);
    else {
      lines.push(
        '# Until target-iomete is on PyPI: in meltano.yml, set the loader\'s pip_url to the wheel',
        `# (a path, or its URL on the GitHub release):  pip_url: ${step.wheel}`,
      );
    }
  }
  return ['```sh', ...lines, '```'].join('\n');
}

/** Pure: what the setup leaves in the project's meltano.yml (the loader's non-secret settings), as a README block. */
export function renderMeltanoYmlBlock(values: QuickstartValues = README_VALUES): string {
  const config = Object.fromEntries(IOMETE_SETTINGS.filter((n) => !isSecretSetting(n)).map((n) => [n, settingValue(values, n)]));
  const yml = YAML.stringify({ plugins: { loaders: [{ name: 'target-iomete', variant: 'iomete-ts', pip_url: 'target-iomete', config }] } });
  return ['```yaml', yml.trimEnd(), '```'].join('\n');
}

/** How a secret from the shell (`$IOMETE_TOKEN`) is shown in a file the user writes. */
function placeholder(value: string): string {
  const names: Record<string, string> = { IOMETE_TOKEN: 'personal access token', AWS_ACCESS_KEY_ID: 'AWS access key ID', AWS_SECRET_ACCESS_KEY: 'AWS secret access key' };
  return value.replace(/^\$([A-Z_]+)$/, (_, name: string) => `<${names[name] ?? name}>`);
}

/** Pure: what the setup leaves in the project's `.env` (the secrets, by their environment variables). */
export function renderDotenvBlock(values: QuickstartValues = README_VALUES): string {
  const lines = IOMETE_SETTINGS.filter(isSecretSetting).map((n) => `${envVarName(n)}=${placeholder(settingValue(values, n))}`);
  return ['```dotenv', ...lines, '```'].join('\n');
}

/** Pure: the quickstart's settings as one config for the command line, secrets as placeholders. */
export function quickstartConfig(values: QuickstartValues = README_VALUES): Record<string, string> {
  return Object.fromEntries(IOMETE_SETTINGS.map((n) => [n, placeholder(settingValue(values, n))]));
}

/** Pure: that config as the README's config file block (`target-iomete --config target.json`). */
export function renderConfigJsonBlock(values: QuickstartValues = README_VALUES): string {
  return ['```json', JSON.stringify(quickstartConfig(values), null, 2), '```'].join('\n');
}

/** Every name in SETTINGS_TO_SET is a setting (a renamed setting fails here, not in Meltano). */
export function unknownQuickstartSettings(): string[] {
  const names = new Set(SETTINGS.map((s) => s.name));
  return SETTINGS_TO_SET.filter((n) => !names.has(n));
}

/** The pip-url step, done to a project's meltano.yml text as a user does it in an editor. */
export function withLoaderPipUrl(meltanoYml: string, wheel: string): string {
  const doc = YAML.parseDocument(meltanoYml);
  const loaders = doc.getIn(['plugins', 'loaders']);
  const loader = YAML.isSeq(loaders) ? loaders.items.find((item) => YAML.isMap(item) && item.get('name') === 'target-iomete') : undefined;
  if (!YAML.isMap(loader)) throw new Error('meltano.yml has no loader target-iomete; run the meltano add step first');
  loader.set('pip_url', wheel);
  return doc.toString();
}
