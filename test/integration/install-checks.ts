import { strict as assert } from 'node:assert';
import { query } from './harness.js';

/**
 * What every way of installing the target (npm, the wheel, the image) must do with the
 * three-streams fixture: one state line per committed point, the last one the tap's last STATE,
 * and the rows in the lakehouse.
 */
export async function assertThreeStreamsLoaded(schema: string, input: string, stdout: string): Promise<void> {
  const states = stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as unknown);
  const sent = input
    .split('\n')
    .filter((l) => l.includes('"STATE"'))
    .map((l) => (JSON.parse(l) as { value: unknown }).value);
  assert.ok(states.length > 0, 'state lines on stdout');
  assert.deepEqual(states.at(-1), sent.at(-1), 'the last state line is the last STATE the tap sent');

  const rows = await query(`SELECT C_PK, C_VARCHAR FROM spark_catalog.${schema}.test_table_three ORDER BY C_PK`);
  assert.deepEqual(rows, [
    { C_PK: 1, C_VARCHAR: '1' },
    { C_PK: 2, C_VARCHAR: '2' },
    { C_PK: 3, C_VARCHAR: '3' },
  ]);
  const [one] = await query(`SELECT COUNT(*) AS n FROM spark_catalog.${schema}.test_table_one`);
  assert.equal(Number(one?.n), 1);
}
