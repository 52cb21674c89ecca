import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readScalarEvents, TENSORBOARD_DIR, TensorBoardLog, tfRecords } from './tensorboard';

const dir = mkdtempSync(join(tmpdir(), 'tensorboard-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('scalars written by TensorBoardLog read back with their tags, steps, float32 values and wall times', () => {
  const runDir = join(dir, 'run');
  const before = Date.now() / 1000;
  const log = new TensorBoardLog(runDir);
  assert.equal(log.logdir, join(runDir, TENSORBOARD_DIR));
  const written: [string, number | null, number][] = [
    ['train/loss', 0.1, 0],
    ['train/loss', 1 / 3, 100],
    ['eval/score/breakout', 12.5, 100],
    ['eval/score/breakout', null, 200],
    ['train/loss', -2.75e-7, 200],
    ['train/loss', Number.NaN, 300],
    ['train/loss', Number.POSITIVE_INFINITY, 400],
    ['train/learning_rate', 6.25e-5, 2 ** 31 - 2],
  ];
  for (const [tag, value, step] of written) log.scalar(tag, value, step);
  log.close();
  assert.throws(() => log.scalar('train/loss', 1, 500), { message: /written after close/ });
  for (const step of [1.5, -1, 2 ** 31 - 1]) {
    assert.throws(() => new TensorBoardLog(join(dir, 'other')).scalar('x', 1, step), {
      message: `TensorBoard step for 'x' must be an integer in [0, 2147483646], got ${step}`,
    });
  }

  const events = readScalarEvents(log.logdir);
  const after = Date.now() / 1000;
  assert.deepEqual(
    events.map(({ tag, step, value }) => ({ tag, step, value })),
    written
      .filter(([, value]) => value !== null)
      .map(([tag, value, step]) => ({ tag, step, value: Math.fround(value as number) })),
  );
  for (const { wallTime } of events) assert.ok(wallTime >= before - 1 && wallTime <= after + 1, `${wallTime}`);

  // A second log of the same folder in this process (a resume) continues it.
  const resumed = new TensorBoardLog(runDir);
  resumed.scalar('train/loss', 4, 500);
  resumed.close();
  const last = readScalarEvents(log.logdir);
  assert.equal(last.length, events.length + 1);
  assert.deepEqual(last.at(-1), { tag: 'train/loss', step: 500, value: 4, wallTime: last.at(-1)?.wallTime });
  assert.deepEqual(readScalarEvents(join(dir, 'missing')), []);
});

test('the reader checks the TFRecord framing: a corrupt record throws, an incomplete last one ends the file', () => {
  const log = new TensorBoardLog(join(dir, 'framing'));
  log.scalar('a', 1, 1);
  log.scalar('a', 2, 2);
  log.close();
  const [name] = readdirSync(log.logdir);
  const original = readFileSync(join(log.logdir, name));
  const records = tfRecords(join(log.logdir, name));
  // The file version event, then one event per scalar.
  assert.equal(records.length, 3);

  const copies = join(dir, 'copies');
  mkdirSync(copies);
  const write = (bytes: Uint8Array) => writeFileSync(join(copies, name), bytes);
  // Last byte of the data of the last record flipped: its data CRC no longer matches.
  const flipped = Uint8Array.from(original);
  flipped[flipped.length - 5] ^= 0xff;
  write(flipped);
  assert.throws(() => readScalarEvents(copies), { message: /corrupt record at byte \d+ \(data CRC mismatch\)/ });
  // A length changed: its CRC no longer matches.
  const badLength = Uint8Array.from(original);
  badLength[0] ^= 0x01;
  write(badLength);
  assert.throws(() => readScalarEvents(copies), { message: /corrupt record at byte 0 \(length CRC mismatch\)/ });
  // Cut inside the last record (a writer mid-flush): the complete records are read.
  write(original.subarray(0, original.length - 3));
  assert.deepEqual(
    readScalarEvents(copies).map((e) => [e.tag, e.step, e.value]),
    [['a', 1, 1]],
  );
  appendFileSync(join(copies, name), original.subarray(original.length - 3));
  assert.deepEqual(
    readScalarEvents(copies).map((e) => [e.tag, e.step, e.value]),
    [
      ['a', 1, 1],
      ['a', 2, 2],
    ],
  );
});
