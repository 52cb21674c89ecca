/**
 * Every key of every configuration (teacher DQN, teacher PQN, distillation), flattened from the defaults, is fed
 * bad values by the route of `--set key=value` (parseOverride, the merge, the validator, through the public
 * configuration functions): each is refused with one RangeError naming the key, except the values a key allows,
 * which are listed here key by key. Nothing is trained and nothing is written.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { checkReplayMemoryFits, replayBytesPerExperience } from '../../distill/config';
import { makeMinatarEnv } from '../../env/minatar';
import { parseOverride } from '../common/overrides';
import { teacherConfig } from '../teach/teacher-config';
import { checkTeacherMemory } from '../teach/teacher-run';
import { distillConfig, type RunVariant } from './presets';
import { loadChildRuns } from './reproduce';

// Anything written under the data folder would land here: the test ends by checking that nothing did.
const scratch = mkdtempSync(join(tmpdir(), 'config-validation-'));
const dataDir = join(scratch, 'data');
const previousDataDir = process.env.DISTILL_LAB_DATA_DIR;
process.env.DISTILL_LAB_DATA_DIR = dataDir;
after(() => {
  if (previousDataDir === undefined) delete process.env.DISTILL_LAB_DATA_DIR;
  else process.env.DISTILL_LAB_DATA_DIR = previousDataDir;
  rmSync(scratch, { recursive: true, force: true });
});

/** Bad values as typed after `--set key=`: name → text. JSON first, else a bare string (parseOverride). */
const CANDIDATES: Record<string, string> = {
  'NaN (a bare word)': 'NaN',
  'Infinity (a bare word)': 'Infinity',
  '1e309': '1e309',
  '-1e309': '-1e309',
  '-1': '-1',
  '0': '0',
  '0.5': '0.5',
  '1e20': '1e20',
  'a JSON string': '"abc"',
  'a bare word': 'abc',
  null: 'null',
  '[]': '[]',
  '[1]': '[1]',
  '[null]': '[null]',
  '{}': '{}',
  true: 'true',
  false: 'false',
};
/** Values no JSON text gives, passed as override objects (code, notebooks): no key takes them. */
const NON_JSON: Record<string, number> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': -Infinity,
};

// What keys allow among the candidates.
const NONE: readonly string[] = [];
const UNIT = ['0', '0.5']; // a number in [0, 1] (or [0, 1))
const OPEN_UNIT = ['0.5']; // a number in (0, 1], or (0, some bound]
const COUNT_FROM_ZERO = ['0'];
const FLAG = ['true', 'false'];
const NULLABLE = ['null'];
const OBJECT = ['{}']; // merged key by key: {} changes nothing
const WIDTHS = ['[]', '[1]'];

/** The divergence rule of teachers and students (src/train/divergence.ts): null turns the relative bound off; factor in (1, 1e30]. */
const DIVERGENCE_ALLOWED: Record<string, readonly string[]> = {
  divergence: ['null', '{}'],
  'divergence.factor': ['1e20'],
  'divergence.window': NONE,
  // A number in [0, 1e30]: any loss floor, 0 for none.
  'divergence.minLoss': ['0', '0.5', '1e20'],
};

const DISTILL_ALLOWED: Record<string, readonly string[]> = {
  // Set per run by the plan: refused whatever the value.
  seed: NONE,
  architecture: NONE,
  'sampler.kind': NONE,
  'sampler.partitions': NONE,
  hidden: WIDTHS,
  freezeTorso: FLAG,
  totalUpdates: NONE,
  updateEvery: NONE,
  learningStarts: NONE,
  batchSize: NONE,
  memoryCapacity: NONE,
  sampler: OBJECT,
  'sampler.alpha': UNIT,
  'sampler.beta': OBJECT,
  'sampler.beta.start': UNIT,
  'sampler.beta.end': UNIT,
  'sampler.beta.steps': COUNT_FROM_ZERO,
  'sampler.inner': NONE,
  'sampler.windowSize': NULLABLE,
  'sampler.partitionMemory': NONE,
  tau: OPEN_UNIT,
  optimizer: OBJECT,
  'optimizer.learningRate': OPEN_UNIT,
  'optimizer.decay': UNIT,
  'optimizer.epsilon': OPEN_UNIT,
  'optimizer.centered': FLAG,
  epsilon: OBJECT,
  'epsilon.start': UNIT,
  'epsilon.end': UNIT,
  'epsilon.decaySteps': COUNT_FROM_ZERO,
  evaluation: OBJECT,
  'evaluation.every': NONE,
  'evaluation.episodes': NONE,
  'evaluation.epsilon': UNIT,
  'evaluation.maxNoops': COUNT_FROM_ZERO,
  'evaluation.maxEpisodeSteps': NONE,
  maxEpisodeSteps: NULLABLE,
  checkpointEvery: NONE,
  ...DIVERGENCE_ALLOWED,
};

const NETWORK_ALLOWED: Record<string, readonly string[]> = {
  network: OBJECT,
  'network.convs': NONE,
  'network.hidden': WIDTHS,
};

const DQN_ALLOWED: Record<string, readonly string[]> = {
  seed: COUNT_FROM_ZERO,
  totalSteps: NONE,
  ...NETWORK_ALLOWED,
  inputScale: OPEN_UNIT,
  replayCapacity: NONE,
  batchSize: NONE,
  gamma: UNIT,
  learningStarts: NONE,
  updateEvery: NONE,
  targetUpdateEvery: NONE,
  epsilon: OBJECT,
  'epsilon.start': UNIT,
  'epsilon.end': UNIT,
  'epsilon.decaySteps': COUNT_FROM_ZERO,
  optimizer: OBJECT,
  'optimizer.learningRate': OPEN_UNIT,
  'optimizer.decay': UNIT,
  'optimizer.epsilon': OPEN_UNIT,
  'optimizer.centered': FLAG,
  'optimizer.epsilonOutsideRoot': FLAG,
  loss: NONE,
  doubleDqn: FLAG,
  maxEpisodeSteps: NULLABLE,
  evaluation: OBJECT,
  'evaluation.every': NONE,
  'evaluation.steps': NONE,
  'evaluation.epsilon': UNIT,
  'evaluation.maxNoops': COUNT_FROM_ZERO,
  'evaluation.finalEpisodes': NONE,
  'evaluation.maxEpisodeSteps': NONE,
  checkpointEvery: NONE,
  ...DIVERGENCE_ALLOWED,
};

const PQN_ALLOWED: Record<string, readonly string[]> = {
  seed: COUNT_FROM_ZERO,
  totalSteps: NONE,
  ...NETWORK_ALLOWED,
  'network.layerNorm': FLAG,
  inputScale: OPEN_UNIT,
  numEnvs: NONE,
  rolloutSteps: NONE,
  epochs: NONE,
  minibatches: NONE,
  gamma: UNIT,
  lambda: UNIT,
  learningRate: OPEN_UNIT,
  learningRateDecay: FLAG,
  maxGradNorm: OPEN_UNIT,
  epsilon: OBJECT,
  'epsilon.start': UNIT,
  'epsilon.end': UNIT,
  'epsilon.decayFraction': UNIT,
  evaluation: OBJECT,
  'evaluation.every': NONE,
  'evaluation.episodes': NONE,
  'evaluation.finalEpisodes': NONE,
  'evaluation.epsilon': UNIT,
  'evaluation.maxNoops': COUNT_FROM_ZERO,
  'evaluation.maxEpisodeSteps': NONE,
  snapshots: ['[]'],
  checkpointEvery: NONE,
  ...DIVERGENCE_ALLOWED,
};

/** Every key of a configuration: each object's key and its keys, dotted; lists and scalars are leaves. */
function flatKeys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [prefix];
  const inner = Object.entries(value).flatMap(([key, v]) => flatKeys(v, prefix ? `${prefix}.${key}` : key));
  return prefix ? [prefix, ...inner] : inner;
}

/** The nested override object `--set key=…` would give for a value that is not JSON. */
function nested(key: string, value: unknown): Record<string, unknown> {
  return key.split('.').reduceRight<unknown>((inner, k) => ({ [k]: inner }), value) as Record<string, unknown>;
}

interface Subject {
  readonly name: string;
  readonly defaults: unknown;
  readonly allowed: Record<string, readonly string[]>;
  readonly resolve: (overrides: Record<string, unknown>[]) => unknown;
}

const HPR: RunVariant = { architecture: 'proposed', sampler: 'hierarchical', partitions: 5 };
const SUBJECTS: Subject[] = [
  {
    name: 'teacher DQN',
    defaults: (teacherConfig('minatar', 'breakout', 'smoke', 0, [], 'dqn') as { dqn: unknown }).dqn,
    allowed: DQN_ALLOWED,
    resolve: (o) => teacherConfig('minatar', 'breakout', 'smoke', 0, o, 'dqn'),
  },
  {
    name: 'teacher DQN (Atari)',
    defaults: (teacherConfig('atari', 'pong', 'smoke', 0) as { dqn: unknown }).dqn,
    // Atari's episodes are cut by default; null lifts the limit as for MinAtar.
    allowed: DQN_ALLOWED,
    resolve: (o) => teacherConfig('atari', 'pong', 'smoke', 0, o),
  },
  {
    name: 'teacher PQN',
    defaults: (teacherConfig('minatar', 'breakout', 'smoke', 0, [], 'pqn') as { pqn: unknown }).pqn,
    allowed: PQN_ALLOWED,
    resolve: (o) => teacherConfig('minatar', 'breakout', 'smoke', 0, o, 'pqn'),
  },
  ...(
    [
      ['proposed-uniform', { architecture: 'proposed', sampler: 'uniform' }],
      ['proposed-ranked', { architecture: 'proposed', sampler: 'ranked' }],
      ['proposed-hpr-p5', HPR],
      ['amn-uniform', { architecture: 'amn', sampler: 'uniform' }],
    ] as const
  ).map(([label, variant]) => ({
    name: `distillation ${label}`,
    // H-PR's run holds every sampler setting: the union of the keys.
    defaults: distillConfig('minatar', 'smoke', HPR, 0),
    allowed: DISTILL_ALLOWED,
    resolve: (o: Record<string, unknown>[]) => distillConfig('minatar', 'smoke', variant, 0, o),
  })),
];

/** Runs `resolve`; the error's message when it throws a RangeError, null when it returns, a failure otherwise. */
function outcome(resolve: () => unknown, what: string): string | null {
  try {
    resolve();
    return null;
  } catch (error) {
    assert.ok(error instanceof RangeError, `${what}: ${(error as Error).stack}`);
    return error.message;
  }
}

for (const subject of SUBJECTS) {
  test(`${subject.name}: every key refuses bad values by name, before anything runs, and allows what it lists`, () => {
    const keys = flatKeys(subject.defaults);
    // Every key is classified here: a new key needs its allowed values written down.
    assert.deepEqual([...keys].sort(), Object.keys(subject.allowed).sort());
    assert.equal(
      outcome(() => subject.resolve([]), 'defaults'),
      null,
    );
    for (const key of keys) {
      for (const [name, text] of Object.entries(CANDIDATES)) {
        const what = `${subject.name}: --set ${key}=${text}`;
        const message = outcome(() => subject.resolve([parseOverride(`${key}=${text}`)]), what);
        if (subject.allowed[key].includes(name)) assert.equal(message, null, `${what} (${name}) should be allowed`);
        else {
          assert.notEqual(message, null, `${what} (${name}) should be refused`);
          assert.ok(message?.includes(key), `${what}: the message should name ${key}: ${message}`);
        }
      }
      for (const [name, value] of Object.entries(NON_JSON)) {
        const message = outcome(() => subject.resolve([nested(key, value)]), `${subject.name}: ${key} = ${name}`);
        assert.ok(message?.includes(key), `${subject.name}: ${key} = ${name} should be refused by name: ${message}`);
      }
    }
    assert.equal(existsSync(dataDir) ? readdirSync(dataDir).length : 0, 0, 'nothing is written');
  });
}

test('the messages name the key, the value and what was expected', () => {
  const distill = (text: string) => () =>
    distillConfig('minatar', 'smoke', HPR, 0, [parseOverride(text)] as Record<string, unknown>[]);
  const dqn = (text: string) => () => teacherConfig('minatar', 'breakout', 'smoke', 0, [parseOverride(text)], 'dqn');
  for (const [resolve, message] of [
    [distill('freezeTorso="no"'), 'freezeTorso must be true or false, got "no"'],
    [distill('hidden=5'), 'hidden must be a list of at most 16 layer widths, e.g. [256, 128], got 5'],
    [
      distill('evaluation=null'),
      'evaluation must be an object { every, episodes, epsilon, maxNoops, maxEpisodeSteps }, got null',
    ],
    [distill('totalUpdates=1e20'), 'totalUpdates must be an integer in [1, 2147483646], got 100000000000000000000'],
    [distill('tau=1e309'), 'tau must be a number in (0, 100], got Infinity'],
    [distill('sampler.beta.start=-1'), 'sampler.beta.start must be a number in [0, 1], got -1'],
    [
      distill('totalUpdates=1000000000'),
      "totalUpdates must be an integer with learningStarts + totalUpdates × updateEvery (the run's steps, 4000000064) <= 2147483646, got 1000000000",
    ],
    [
      dqn('learningStarts=5000'),
      'configuration value learningStarts = 5000 is out of range: expected fewer than totalSteps (2000) with an ' +
        'update step (a multiple of updateEvery = 1) after it, so that the run trains: at most 1999',
    ],
    [dqn('doubleDqn="no"'), 'configuration value doubleDqn = "no" is out of range: expected true or false'],
    [
      dqn('evaluation.steps=NaN'),
      'configuration value evaluation.steps = "NaN" is out of range: expected an integer in [1, 2147483646]',
    ],
  ] as const) {
    assert.throws(resolve, { name: 'RangeError', message });
  }
  // The steps counter of a run reaches learningStarts + totalUpdates × updateEvery: it must fit the int32 tables.
  assert.doesNotThrow(distill('totalUpdates=100000'));
  assert.throws(() => parseOverride('hidden=[256,'), {
    name: 'RangeError',
    message: /^--set hidden=\[256,: the value \[256, is not valid JSON \(.*\); expected e\.g\. hidden=\[256,128\]/,
  });
  assert.deepEqual(parseOverride('loss=mse'), { loss: 'mse' });
});

test('memory that does not fit the machine is refused up front, naming the estimate (bytes per experience × capacity × games)', () => {
  const specs = ['breakout', 'freeway'].map((game) => makeMinatarEnv(game).spec);
  const GiB = 2 ** 30;
  const config = distillConfig('minatar', 'smoke', { architecture: 'proposed', sampler: 'uniform' }, 0, [
    { memoryCapacity: 10_000_000 },
  ]);
  // Breakout's 10×10×4 frame takes 50 B bit-packed, Freeway's 10×10×7 88 B; each + action, flags, reward (3 B)
  // + q_T over MinAtar's 6 actions (24 B): 77 and 115 B, 96 B a game on average.
  assert.deepEqual(
    specs.map((spec) => replayBytesPerExperience(config, spec)),
    [77, 115],
  );
  assert.doesNotThrow(() => checkReplayMemoryFits(config, specs, 4 * GiB));
  assert.throws(() => checkReplayMemoryFits(config, specs, GiB), {
    name: 'RangeError',
    message:
      'configuration value memoryCapacity = 10000000 is out of range: expected at most 4194304 on this machine: ' +
      'the replay memories (uniform sampler) would take about 1.8 GiB (96 B per experience × 10,000,000 ' +
      'experiences × 2 games), above 75 % of its 1.0 GiB (os.totalmem())',
  });
  // The sampler's index counts: the rank rule's order-statistic set, 48 B per experience.
  const ranked = distillConfig('minatar', 'smoke', { architecture: 'proposed', sampler: 'ranked' }, 0);
  assert.equal(replayBytesPerExperience(ranked, specs[0]), 77 + 48);
  // The teachers: DQN's replay (one observation per experience), PQN's rollout (numEnvs × rolloutSteps rows).
  const dqn = teacherConfig('minatar', 'breakout', 'smoke', 0, [{ replayCapacity: 100_000_000 }], 'dqn');
  assert.throws(() => checkTeacherMemory(dqn, specs[0], GiB), {
    name: 'RangeError',
    // 50 B bit-packed frame + 3 B + q_T over Breakout's 3 legal actions (12 B) = 65 B; 400 B fixed: (0.75 GiB − 400) / 65.
    message:
      "configuration value replayCapacity = 100000000 is out of range: expected at most 12389322 on this machine: minatar/breakout's " +
      'replay (10×10×4 observations) would take about 6.1 GiB (65 B per experience × 100,000,000 experiences), ' +
      'above 75 % of its 1.0 GiB (os.totalmem())',
  });
  const pqn = teacherConfig(
    'minatar',
    'breakout',
    'smoke',
    0,
    [{ numEnvs: 4096, rolloutSteps: 4096, totalSteps: 2 ** 24 }],
    'pqn',
  );
  assert.throws(() => checkTeacherMemory(pqn, specs[0], GiB), {
    name: 'RangeError',
    // 9 × 400 B of observation (uint8, then twice float32) + 21 B + 4 B × 2 epochs = 3629 B a row; 0.75 GiB / 4096 rows.
    message:
      'configuration value numEnvs = 4096 is out of range: expected at most 54 on this machine: a rollout of 4096 ' +
      'steps per environment on minatar/breakout (3629 B per row) would take about 56.7 GiB (14,864,384 B per ' +
      'environment × 4,096 environments), above 75 % of its 1.0 GiB (os.totalmem())',
  });
  assert.doesNotThrow(() =>
    checkTeacherMemory(teacherConfig('minatar', 'breakout', 'smoke', 0, [], 'pqn'), specs[0], GiB),
  );
});

test('distill-run --run-json says what it expected: a run of a plan, or a seed batch of them, as JSON', () => {
  const expected =
    'expected the JSON object reproduce --jobs passes: a run of a plan { suite, preset, variant, seed, name, config } ' +
    'with its resolved configuration, or an array of such runs (a seed batch)';
  assert.throws(() => loadChildRuns('5', ['breakout']), {
    name: 'RangeError',
    message: `--run-json 5 is not a run: ${expected}`,
  });
  assert.throws(() => loadChildRuns('{"suite": "minatar",', ['breakout']), {
    name: 'RangeError',
    message: new RegExp(
      `^--run-json \\{"suite": "minatar", is not valid JSON \\(.+\\): ${expected.replace(/[{}()]/g, '\\$&')}$`,
    ),
  });
  const run = {
    suite: 'minatar',
    preset: 'smoke',
    variant: { architecture: 'proposed', sampler: 'uniform' },
    seed: 0,
    name: 'proposed-uniform-seed0-0000000000',
    config: { ...distillConfig('minatar', 'smoke', { architecture: 'proposed', sampler: 'uniform' }, 0), hidden: 5 },
  };
  assert.throws(() => loadChildRuns(JSON.stringify(run), ['breakout']), {
    name: 'RangeError',
    message: 'hidden must be a list of at most 16 layer widths, e.g. [256, 128], got 5',
  });
  assert.throws(() => loadChildRuns('[]', ['breakout']), { message: `--run-json [] is not a run: ${expected}` });
  assert.throws(() => loadChildRuns(JSON.stringify([run, 5]), ['breakout']), { message: /is not a run: expected/ });
});
