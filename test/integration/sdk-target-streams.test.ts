import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { before, describe, it } from 'node:test';
import { ensurePythonTools } from '../../scripts/python-tools.js';
import { query, schemaScope } from './harness.js';

const run = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Pinned: a new SDK release is taken on purpose. */
const SDK = 'singer-sdk==0.54.9';
const cache = join(root, '.cache', 'singer-sdk');

/**
 * The files the SDK's own target tests expect a target to refuse (singer_sdk/testing/target_tests.py:
 * the tests that wrap the run in pytest.raises), with the message this target gives.
 */
const EXPECTED_FAILURES: Record<string, RegExp> = {
  invalid_schema: /The stream schema has no properties.*\(line 1, stream 'test_invalid_schema'\)/,
  record_before_schema: /RECORD arrived before the SCHEMA of its stream.*\(line 1, stream 'test_record_before_schema'\)/,
  record_missing_key_property: /Record has no value for key property 'id' \(line 2, stream 'test_record_missing_key_property'\)/,
};

/**
 * The Meltano SDK's target test streams (`singer_sdk/testing/target_test_streams/*.singer` in the
 * `singer-sdk` wheel from PyPI, downloaded here into .cache/, not kept in the repository) all load
 * with primary_key_required false, except those the SDK itself expects to fail.
 */
describe('Meltano SDK target test streams', () => {
  const scope = schemaScope();
  let streamsDir: string;
  let sdkTests: string;

  before(async () => {
    const extracted = join(cache, 'extracted', 'singer_sdk', 'testing');
    if (!existsSync(join(extracted, 'target_tests.py'))) {
      const tools = await ensurePythonTools();
      await mkdir(cache, { recursive: true });
      await run(tools.python, ['-m', 'pip', 'download', '--no-deps', '--only-binary', ':all:', '-d', cache, SDK], { maxBuffer: 16 * 1024 * 1024 });
      const wheel = (await readdir(cache)).find((f) => f.startsWith('singer_sdk-') && f.endsWith('.whl'));
      assert.ok(wheel, `pip download of ${SDK} left no wheel in ${cache}`);
      // A wheel is a zip archive; Python's zipfile extracts it without any other tool.
      const script = 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); z.extractall(sys.argv[2], [n for n in z.namelist() if n.startswith("singer_sdk/testing/")])';
      await run(tools.python, ['-c', script, join(cache, wheel), join(cache, 'extracted')]);
    }
    streamsDir = join(extracted, 'target_test_streams');
    sdkTests = await readFile(join(extracted, 'target_tests.py'), 'utf8');
  });

  it('knows which files the SDK expects to fail', () => {
    // Each test class names its file (`name = "..."`); those whose test() expects an exception are the failures.
    const failing = [...sdkTests.matchAll(/class \w+\(TargetFileTestTemplate\):[\s\S]*?name = "(\w+)"([\s\S]*?)(?=\nclass |$)/g)]
      .filter(([, , body]) => /pytest\.raises/.test(body ?? ''))
      .map(([, name]) => name)
      .sort();
    assert.deepEqual(failing, Object.keys(EXPECTED_FAILURES).sort());
  });

  it('loads every other file, and refuses the expected failures with a clear message', async () => {
    const files = (await readdir(streamsDir)).filter((f) => f.endsWith('.singer')).sort();
    assert.ok(files.length >= 20, `only ${files.length} test streams found`);
    for (const file of files) {
      const name = file.replace(/\.singer$/, '');
      const result = await scope.load(await readFile(join(streamsDir, file), 'utf8'), { primary_key_required: false });
      const expected = EXPECTED_FAILURES[name];
      if (expected) {
        assert.notEqual(result.code, 0, `${name} should fail`);
        assert.match(result.stderr, expected, name);
        assert.doesNotMatch(result.stderr, /Unexpected failure|\n\s+at /, name);
      } else {
        assert.equal(result.code, 0, `${name}: ${result.stderr}`);
        const tables = await query(`SHOW TABLES IN spark_catalog.\`${result.schema}\``);
        assert.ok(tables.length > 0, `${name} created no table`);
      }
    }
  });

  it('stores the special-characters stream under a valid name with its values', async () => {
    const result = await scope.load(await readFile(join(streamsDir, 'special_chars_in_attributes.singer'), 'utf8'), { primary_key_required: false });
    assert.equal(result.code, 0, result.stderr);
    const tables = await query(`SHOW TABLES IN spark_catalog.\`${result.schema}\``);
    assert.deepEqual(tables.map((t) => t.tableName), ['test_specialchars_in_attributes']);
    const [row] = await query(`SELECT _ID, D FROM spark_catalog.\`${result.schema}\`.TEST_SPECIALCHARS_IN_ATTRIBUTES`);
    assert.deepEqual(row, { _ID: 'a2e98886', D: '{"env":"prod","agent:type":"desktop","agent:os:version":"10.13.1"}' });
  });
});
