import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PRESET_NAMES, presetFromEnv } from './preset-env';

test('presetFromEnv reads DISTILL_LAB_PRESET, defaulting to quick', () => {
  assert.deepEqual(PRESET_NAMES, ['smoke', 'quick', 'full', 'paper']);
  assert.equal(presetFromEnv({}), 'quick');
  assert.equal(presetFromEnv({ DISTILL_LAB_PRESET: '' }), 'quick');
  assert.equal(presetFromEnv({ DISTILL_LAB_PRESET: 'smoke' }), 'smoke');
  assert.equal(presetFromEnv({ DISTILL_LAB_PRESET: 'paper' }), 'paper');
});

test('an unknown preset lists the valid ones', () => {
  assert.throws(
    () => presetFromEnv({ DISTILL_LAB_PRESET: 'Smoke' }),
    new Error(
      'DISTILL_LAB_PRESET=Smoke is not a preset; expected one of smoke, quick, full, paper ' +
        '(e.g. npm run notebooks -- --preset smoke)',
    ),
  );
});
