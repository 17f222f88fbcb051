// The development guide's "run it" command (docs/DEVELOPMENT.md): starts the local lakehouse (fetching its jars on first use),
// pipes a Singer fixture through the built CLI exactly as a user would, then prints the rows
// that landed in Iceberg. Input defaults to the three-stream fixture; pass another file to load it.
import { spawn } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ensureLakehouse, lakehousePaths, loadSettings, rowToJson, runSql } from './index.js';
import { REPO_DIR } from './settings.js';

const DEMO_SCHEMA = 'demo';
const DEFAULT_INPUT = path.resolve(REPO_DIR, 'test/fixtures/singer-target-iomete/messages-with-three-streams.json');

async function main(): Promise<number> {
  const input = path.resolve(process.argv[2] ?? DEFAULT_INPUT);
  if (!existsSync(input)) {
    process.stderr.write(`demo: input file ${input} not found; pass a Singer messages file as the first argument\n`);
    return 2;
  }
  const config = await ensureLakehouse();
  const configPath = path.join(lakehousePaths(loadSettings()).state, 'demo-config.json');
  await writeFile(configPath, JSON.stringify({ ...config, default_target_schema: DEMO_SCHEMA }, null, 2));

  process.stderr.write(`demo: loading ${input} into schema '${DEMO_SCHEMA}'\n`);
  const code = await runTarget(configPath, input);
  if (code !== 0) return code;

  const tables = await runSql(`SHOW TABLES IN spark_catalog.${DEMO_SCHEMA}`);
  for (const table of tables) {
    const name = String(table.tableName);
    process.stdout.write(`\n== spark_catalog.${DEMO_SCHEMA}.${name}\n`);
    for (const row of await runSql(`SELECT * FROM spark_catalog.${DEMO_SCHEMA}.\`${name}\``)) process.stdout.write(`${rowToJson(row)}\n`);
  }
  return 0;
}

/** Runs bin/run.js with the fixture on stdin; its state lines go to stdout under a heading. */
function runTarget(configPath: string, input: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_DIR, 'bin/run.js'), '--config', configPath], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    process.stdout.write('== state lines emitted by the target\n');
    child.stdout.pipe(process.stdout, { end: false });
    createReadStream(input).pipe(child.stdin);
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
