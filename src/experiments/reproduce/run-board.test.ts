import assert from 'node:assert/strict';
import { test } from 'node:test';
import { overallLineText, RunBoard, runLineText } from './run-board';

test('a run line: updates clamped to the total, % of teacher, speed, time left', () => {
  const line = {
    name: 'amn-uniform-seed0-abc',
    updates: 750,
    totalUpdates: 1500,
    percentOfTeacher: 62.14,
    updatesPerSecond: 25,
  };
  assert.equal(
    runLineText(line),
    'amn-uniform-seed0-abc  750/1500 updates | 62.1 % of teacher | 25.0 updates/s | left 0m30s',
  );
  assert.equal(
    runLineText({ ...line, updates: 1600, percentOfTeacher: null, updatesPerSecond: Number.NaN }),
    'amn-uniform-seed0-abc  1500/1500 updates | – of teacher | – updates/s | left –',
  );
  assert.equal(overallLineText(3, 21, 7_530), 'overall  3/21 runs done | left 2h05m');
});

test('in a pipe: one line per tenth of a run with the plan overall; time left counts the waiting runs', () => {
  const lines: string[] = [];
  const board = new RunBoard(4, 1000, 2, false, (l) => lines.push(l));
  board.progress(0, 'a', { updates: 50, updatesAtStart: 0, totalUpdates: 1000, seconds: 5 });
  board.progress(0, 'a', { updates: 100, updatesAtStart: 0, totalUpdates: 1000, seconds: 10 });
  board.evaluation(1, 'b', 40);
  board.progress(1, 'b', { updates: 600, updatesAtStart: 500, totalUpdates: 1000, seconds: 5 });
  // a: 900 left at 10/s; b: 400 left at 20/s; two runs waiting at the mean 15/s: 3,300 updates at 30/s.
  assert.equal(board.secondsLeft(), 3300 / 30);
  board.finished(0);
  assert.deepEqual(lines, [
    // Only a known yet: 900 + 3 × 1000 updates, two runs at a time at 10/s each.
    'a  100/1000 updates | – of teacher | 10.0 updates/s | left 1m30s  [overall  0/4 runs done | left 3m15s]',
    'b  600/1000 updates | 40.0 % of teacher | 20.0 updates/s | left 0m20s  [overall  0/4 runs done | left 1m50s]',
  ]);
  // Three runs left, one in training at 20/s, two at a time: (400 + 2 × 1000) / 40.
  assert.equal(board.secondsLeft(), 2400 / 40);
});
