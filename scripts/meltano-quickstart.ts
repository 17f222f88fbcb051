import YAML from 'yaml';
import { packageInfo } from '../src/cli/package-info.js';
import { SETTINGS, namesOf } from '../src/config/settings.js';

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
  | { kind: 'command'; argv: string[] }
  | { kind: 'cd'; dir: string }
  /** meltano.yml, loader target-iomete: `pip_url` set to the wheel (an edit, not a command). */
  | { kind: 'pip-url'; wheel: string };

/**
 * The settings the quickstart sets: the connection, the staging bucket and its credentials, the
 * target schema; also the endpoint settings, which have iomete/AWS defaults but which the local
 * lakehouse of the tests needs. The test checks that this is what the local lakehouse config has.
 */
export const SETTINGS_TO_SET = [
  'host',
  'port',
  'scheme',
  'data_plane',
  'lakehouse',
  'user',
  'password',
  's3_bucket',
  's3_key_prefix',
  's3_region_name',
  's3_endpoint_url',
  's3_force_path_style',
  'aws_access_key_id',
  'aws_secret_access_key',
  'default_target_schema',
] as const;

/** Meltano's state id of `meltano run <tap> target-iomete` in the `dev` environment `meltano init` makes the default. */
export function stateId(tap: string): string {
  return `dev:${tap}-to-target-iomete`;
}

/** Pure: the steps, in order. */
export function quickstartSteps(values: QuickstartValues): QuickstartStep[] {
  const command = (...argv: string[]): QuickstartStep => ({ kind: 'command', argv: ['meltano', ...argv] });
  return [
    command('init', values.project, '--no-usage-stats'),
    { kind: 'cd', dir: values.project },
    // --no-install: the install comes once pip_url names something pip can get.
    command('add', '--plugin-type', 'loader', 'target-iomete', '--from-ref', values.definition, '--no-install'),
    { kind: 'pip-url', wheel: values.wheel },
    command('install'),
    ...SETTINGS_TO_SET.map((name) => command('config', 'set', 'target-iomete', name, settingValue(values, name))),
    command('config', 'list', 'target-iomete'),
    command('invoke', 'target-iomete', '--about', '--format', 'json'),
    command('invoke', 'target-iomete', '--check'),
    command('add', '--plugin-type', 'extractor', values.tap, ...values.tapFrom),
    command('run', values.tap, 'target-iomete'),
    command('state', 'get', stateId(values.tap)),
  ];
}

function settingValue(values: QuickstartValues, name: string): string {
  const value = values.settings[name];
  if (value === undefined) throw new Error(`quickstart: no value for setting ${name}`);
  return value;
}

/** The values the README shows: a lakehouse on iomete, staging on AWS S3, secrets from the shell. */
export const README_VALUES: QuickstartValues = {
  project: 'my-project',
  definition: 'https://raw.githubusercontent.com/iomete/target-iomete/main/plugin-definition.yml',
  wheel: `/path/to/target_iomete-${packageInfo().version}-py3-none-any.whl`,
  settings: {
    host: 'dev.iomete.cloud',
    port: '443',
    scheme: 'https',
    data_plane: 'default',
    lakehouse: 'my-lakehouse',
    user: 'my-user',
    password: '$IOMETE_TOKEN',
    s3_bucket: 'my-staging-bucket',
    s3_key_prefix: 'singer/',
    s3_region_name: 'eu-west-1',
    s3_endpoint_url: 'https://s3.eu-west-1.amazonaws.com',
    s3_force_path_style: 'false',
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

/** Pure: the steps as the README's shell block. */
export function renderQuickstart(values: QuickstartValues = README_VALUES): string {
  const lines: string[] = [];
  for (const step of quickstartSteps(values)) {
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

/**
 * Every name in SETTINGS_TO_SET is a setting or one of its aliases, which the plugin definition
 * declares to Meltano (a renamed setting without its old name as alias fails here, not in Meltano).
 */
export function unknownQuickstartSettings(): string[] {
  const names = new Set(SETTINGS.flatMap((s) => namesOf(s)));
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
