/**
 * The checkpointables (checkpointer.ts) of what runs are made of: network weights, optimizer slots, generators,
 * replay buffers, JSON values (counters, logs) and the run's identity. Their names are the ones run checkpoints
 * have always had (`online/…`, `optimizer/meanSquare`, `optimizerSteps`, `rng`, …), which is why an optimizer's
 * step count sits in the meta as `optimizerSteps` rather than under its own part's name.
 */
import type { Radam } from '../nn/radam';
import type { RmsProp } from '../nn/rmsprop';
import { tf, type Variable } from '../nn/tf';
import type { ReplayBuffer } from '../replay';
import type { MemoryState } from '../replay/memory';
import type { SamplerState } from '../replay/sampler';
import { Rng, type RngState } from '../util/rng';
import type { StoredArray } from './checkpoint-file';
import type { Checkpointable, SavedCheckpoint } from './checkpointer';
import { differingKeys } from './trainer-common';

/** A network as checkpoints see it, a Q-network or a student: its variables and a unique name for each. */
export interface NamedVariables {
  readonly variables: readonly Variable[];
  readonly variableNames: readonly string[];
}

export function networkWeights(network: NamedVariables): Record<string, Float32Array> {
  const weights: Record<string, Float32Array> = {};
  network.variables.forEach((v, i) => {
    weights[network.variableNames[i]] = v.dataSync() as Float32Array;
  });
  return weights;
}

/** Assigns `weights` to `network`, naming the first variable whose name or size does not match. */
export function setNetworkWeights(
  network: NamedVariables,
  weights: Record<string, Float32Array>,
  source: string,
): void {
  const expected = network.variableNames;
  const given = Object.keys(weights);
  const missing = expected.filter((name) => !(name in weights));
  const extra = given.filter((name) => !expected.includes(name));
  if (missing.length > 0 || extra.length > 0) {
    throw new RangeError(
      `${source}: network variables do not match (missing: ${missing.join(', ') || 'none'}; unexpected: ${extra.join(', ') || 'none'})`,
    );
  }
  network.variables.forEach((v, i) => {
    const name = expected[i];
    if (weights[name].length !== v.size) {
      throw new RangeError(
        `${source}: variable ${name} has ${weights[name].length} values, the network needs ${v.size} (shape [${v.shape.join(', ')}])`,
      );
    }
  });
  network.variables.forEach((v, i) => {
    v.assign(tf.tensor(weights[expected[i]], v.shape));
  });
}

/** A network's weights, as arrays `${prefix}/${variable name}`. */
export function networkCheckpoint(prefix: string, network: NamedVariables): Checkpointable {
  return {
    checkpointState: () => ({
      meta: {},
      arrays: Object.fromEntries(Object.entries(networkWeights(network)).map(([name, v]) => [`${prefix}/${name}`, v])),
    }),
    restoreCheckpointState: (saved) => {
      const weights = saved.arraysUnder(`${prefix}/`) as Record<string, Float32Array>;
      setNetworkWeights(network, weights, `${saved.source} (${prefix} network)`);
    },
  };
}

/** RMSProp's slots (`optimizer/meanSquare`, and `optimizer/meanGradient` when centred) and step count. */
export function rmsPropCheckpoint(optimizer: RmsProp): Checkpointable {
  return {
    checkpointState: () => {
      const { meanSquare, meanGradient, steps } = optimizer.getState();
      const arrays: Record<string, StoredArray> = { 'optimizer/meanSquare': meanSquare };
      if (meanGradient) arrays['optimizer/meanGradient'] = meanGradient;
      return { meta: { optimizerSteps: steps }, arrays };
    },
    restoreCheckpointState: (saved) =>
      optimizer.setState({
        meanSquare: saved.array('optimizer/meanSquare', Float32Array),
        meanGradient: optimizer.options.centered ? saved.array('optimizer/meanGradient', Float32Array) : null,
        steps: saved.meta('optimizerSteps'),
      }),
  };
}

/** RAdam's moments (`optimizer/firstMoment`, `optimizer/secondMoment`) and step count. */
export function radamCheckpoint(optimizer: Radam): Checkpointable {
  return {
    checkpointState: () => {
      const { firstMoment, secondMoment, steps } = optimizer.getState();
      return {
        meta: { optimizerSteps: steps },
        arrays: { 'optimizer/firstMoment': firstMoment, 'optimizer/secondMoment': secondMoment },
      };
    },
    restoreCheckpointState: (saved) =>
      optimizer.setState({
        firstMoment: saved.array('optimizer/firstMoment', Float32Array),
        secondMoment: saved.array('optimizer/secondMoment', Float32Array),
        steps: saved.meta('optimizerSteps'),
      }),
  };
}

/** Generators' states as the meta entry `key`: one generator's state, or named generators' by name. */
export function rngCheckpoint(key: string, rngs: Rng | Readonly<Record<string, Rng>>): Checkpointable {
  return {
    checkpointState: () => ({
      meta: {
        [key]:
          rngs instanceof Rng
            ? rngs.getState()
            : Object.fromEntries(Object.entries(rngs).map(([name, rng]) => [name, rng.getState()])),
      },
      arrays: {},
    }),
    restoreCheckpointState: (saved) => {
      if (rngs instanceof Rng) {
        rngs.setState(saved.meta(key));
        return;
      }
      const states = saved.meta<Record<string, RngState>>(key);
      for (const [name, rng] of Object.entries(rngs)) rng.setState(states[name]);
    },
  };
}

/**
 * A JSON object or array of the run (its counters, a log) as the meta entry `key`, restored in place: the loop's
 * own references to it stay valid.
 */
export function jsonCheckpoint(key: string, value: object): Checkpointable {
  return {
    checkpointState: () => ({ meta: { [key]: value }, arrays: {} }),
    restoreCheckpointState: (saved) => {
      const restored = saved.meta<object>(key);
      if (Array.isArray(value)) {
        value.length = 0;
        for (const item of restored as unknown[]) value.push(item);
      } else {
        Object.assign(value, restored);
      }
    },
  };
}

/** The game a run plays (`envId`) or the games it distils (`gameIds`). */
export type RunGames = { readonly envId: string } | { readonly gameIds: readonly string[] };

const describeGames = (games: RunGames): string =>
  'envId' in games ? games.envId : `games ${games.gameIds.join(', ')}`;

/**
 * The run a checkpoint belongs to, its configuration and its game(s): restoring refuses the checkpoint of any
 * other run, naming what differs, before the parts after it change anything.
 */
export function runIdentityCheckpoint(config: object, games: RunGames): Checkpointable {
  return {
    checkpointState: () => ({ meta: { config, ...games }, arrays: {} }),
    restoreCheckpointState: (saved) => {
      const savedGames = Object.fromEntries(Object.keys(games).map((key) => [key, saved.meta(key)])) as RunGames;
      if (differingKeys(savedGames, games).length > 0) {
        throw saved.error(`checkpoint is of ${describeGames(savedGames)}, this run is of ${describeGames(games)}`);
      }
      const differences = differingKeys(saved.meta('config'), config);
      if (differences.length > 0) {
        throw saved.error(`checkpoint was made with a different configuration (differs in: ${differences.join(', ')})`);
      }
    },
  };
}

/** A replay buffer's scalars in a checkpoint's meta: its memory's and its sampler's. */
export interface ReplayBufferScalars {
  readonly memory: MemoryState['scalars'];
  readonly sampler: SamplerState['scalars'];
}

/** A replay buffer's state: its scalars, and its memory's and sampler's arrays under `${prefix}memory/` and `${prefix}sampler/`. */
export function replayBufferState(
  buffer: ReplayBuffer,
  prefix: string,
): { scalars: ReplayBufferScalars; arrays: Record<string, StoredArray> } {
  const memory = buffer.memory.saveState();
  const sampler = buffer.sampler.saveState();
  const arrays: Record<string, StoredArray> = {};
  for (const [name, data] of Object.entries(memory.arrays)) arrays[`${prefix}memory/${name}`] = data;
  for (const [name, data] of Object.entries(sampler.arrays)) arrays[`${prefix}sampler/${name}`] = data;
  return { scalars: { memory: memory.scalars, sampler: sampler.scalars }, arrays };
}

/** Restores what `replayBufferState` saved under `prefix`; a memory or sampler that does not fit is refused naming the file. */
export function restoreReplayBuffer(
  buffer: ReplayBuffer,
  scalars: ReplayBufferScalars,
  saved: SavedCheckpoint,
  prefix: string,
): void {
  try {
    buffer.memory.restoreState({
      scalars: scalars.memory,
      arrays: saved.arraysUnder(`${prefix}memory/`) as MemoryState['arrays'],
    });
    buffer.sampler.restoreState({
      scalars: scalars.sampler,
      arrays: saved.arraysUnder(`${prefix}sampler/`) as SamplerState['arrays'],
    });
  } catch (error) {
    throw saved.error(error instanceof Error ? error.message : String(error));
  }
}

/** Replay buffers, one per game: the meta entry `replay` holds their scalars in order, arrays go under `replay/${g}/`. */
export function replayBuffersCheckpoint(buffers: readonly ReplayBuffer[]): Checkpointable {
  return {
    checkpointState: () => {
      const states = buffers.map((buffer, g) => replayBufferState(buffer, `replay/${g}/`));
      return {
        meta: { replay: states.map((s) => s.scalars) },
        arrays: Object.assign({}, ...states.map((s) => s.arrays)),
      };
    },
    restoreCheckpointState: (saved) => {
      const scalars = saved.meta<readonly ReplayBufferScalars[]>('replay');
      buffers.forEach((buffer, g) => {
        restoreReplayBuffer(buffer, scalars[g], saved, `replay/${g}/`);
      });
    },
  };
}
