"""Exports the DQN update as TensorFlow graphs (SavedModels) that `src/nn/graph-dqn-update.ts` runs through
tfjs-node's session API: one call per update instead of ~90 eager kernels issued from JavaScript.

The graphs hold no variables: the networks' weights, the RMSProp slots and the batch go in, the new weights,
slots and the loss come out, so the tfjs Variables (and every checkpoint) stay exactly as in the eager path.
The arithmetic is that of `src/train/dqn-agent.ts` + `src/nn/rmsprop.ts`, which `src/train/dqn-agent.test.ts`
checks update for update. One graph per network shape family (the strides are static); channel counts,
action counts and batch size are dynamic. Hyper-parameters are inputs.

Run by `npm run graphs` (needs TensorFlow in .venv: `bash scripts/setup.sh --bench`); the output is committed.
"""
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf  # noqa: E402
from tensorflow.core.protobuf import saved_model_pb2  # noqa: E402

# Must match src/nn/qnetwork.ts: (kernel, stride) per convolution, number of dense layers.
FAMILIES = {
    "minatar-dqn": dict(convs=[(3, 1)], dense=2),
    "nature-dqn": dict(convs=[(8, 4), (4, 2), (3, 1)], dense=2),
}


def param_specs(family):
    specs = []
    for kernel, _ in family["convs"]:
        specs += [tf.TensorSpec([kernel, kernel, None, None], tf.float32), tf.TensorSpec([None], tf.float32)]
    for _ in range(family["dense"]):
        specs += [tf.TensorSpec([None, None], tf.float32), tf.TensorSpec([None], tf.float32)]
    return specs


def q_values(family, params, x):
    i = 0
    for _, stride in family["convs"]:
        x = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(x, params[i], stride, "VALID"), params[i + 1]))
        i += 2
    x = tf.reshape(x, [tf.shape(x)[0], -1])
    for layer in range(family["dense"]):
        x = tf.nn.bias_add(tf.matmul(x, params[i]), params[i + 1])
        if layer + 1 < family["dense"]:
            x = tf.nn.relu(x)
        i += 2
    return x


def huber(error):
    absolute = tf.abs(error)
    quadratic = tf.minimum(absolute, 1.0)
    return 0.5 * tf.square(quadratic) + (absolute - quadratic)


def update_function(family):
    n = len(param_specs(family))

    def update(inputs):
        online = [inputs[f"online_{i}"] for i in range(n)]
        target = [inputs[f"target_{i}"] for i in range(n)]
        next_obs = inputs["next_observations"]
        q_next_target = q_values(family, target, next_obs)
        selector = tf.cond(
            inputs["double_dqn"] > 0.5, lambda: q_values(family, online, next_obs), lambda: q_next_target
        )
        num_actions = tf.shape(q_next_target)[1]
        best = tf.one_hot(tf.argmax(selector, 1, output_type=tf.int32), num_actions)
        bootstrap = inputs["rewards"] + inputs["discounts"] * tf.reduce_sum(q_next_target * best, 1)
        taken = tf.one_hot(inputs["actions"], num_actions)
        with tf.GradientTape() as tape:
            tape.watch(online)
            q = q_values(family, online, inputs["observations"])
            td = tf.stop_gradient(bootstrap) - tf.reduce_sum(q * taken, 1)
            per_row = tf.cond(inputs["huber"] > 0.5, lambda: huber(td), lambda: 0.5 * tf.square(td))
            loss = tf.reduce_mean(per_row)
        grads = tape.gradient(loss, online)
        g = tf.concat([tf.reshape(grad, [-1]) for grad in grads], 0)
        decay = inputs["decay"]
        ms = inputs["mean_square"] * decay + tf.square(g) * (1 - decay)
        mg = inputs["mean_gradient"] * decay + g * (1 - decay)
        denominator = tf.cond(inputs["centered"] > 0.5, lambda: ms - tf.square(mg), lambda: ms)
        eps = inputs["epsilon"]
        scale = tf.cond(
            inputs["epsilon_outside_root"] > 0.5,
            lambda: tf.math.reciprocal(tf.sqrt(denominator) + eps),
            lambda: tf.math.rsqrt(denominator + eps),
        )
        step = g * inputs["learning_rate"] * scale
        parts = tf.split(step, [tf.size(p) for p in online], 0)
        outputs = {f"online_{i}": p - tf.reshape(s, tf.shape(p)) for i, (p, s) in enumerate(zip(online, parts))}
        outputs.update(mean_square=ms, mean_gradient=mg, loss=loss)
        return outputs

    specs = {}
    for i, spec in enumerate(param_specs(family)):
        specs[f"online_{i}"] = tf.TensorSpec(spec.shape, spec.dtype, name=f"online_{i}")
        specs[f"target_{i}"] = tf.TensorSpec(spec.shape, spec.dtype, name=f"target_{i}")
    for name in ("observations", "next_observations"):
        specs[name] = tf.TensorSpec([None, None, None, None], tf.float32, name=name)
    specs["actions"] = tf.TensorSpec([None], tf.int32, name="actions")
    for name in ("rewards", "discounts", "mean_square", "mean_gradient"):
        specs[name] = tf.TensorSpec([None], tf.float32, name=name)
    for name in ("learning_rate", "decay", "epsilon", "epsilon_outside_root", "centered", "huber", "double_dqn"):
        specs[name] = tf.TensorSpec([], tf.float32, name=name)
    return tf.function(update).get_concrete_function(specs)


def export(out_dir):
    for name, family in FAMILIES.items():
        path = os.path.join(out_dir, name)
        module = tf.Module()
        concrete = update_function(family)
        tf.saved_model.save(module, path, signatures={"update": concrete})
        # The op names tfjs-node's session needs, so the TypeScript side loads without parsing protobuf.
        with open(os.path.join(path, "saved_model.pb"), "rb") as f:
            model = saved_model_pb2.SavedModel.FromString(f.read())
        definition = model.meta_graphs[0].signature_def["update"]
        names = {
            "family": name,
            "tensorflow": tf.__version__,
            "inputs": {key: value.name for key, value in sorted(definition.inputs.items())},
            "outputs": {key: value.name for key, value in sorted(definition.outputs.items())},
        }
        with open(os.path.join(path, "signature.json"), "w") as f:
            json.dump(names, f, indent=2)
            f.write("\n")
        print(f"{path}: {len(names['inputs'])} inputs, {len(names['outputs'])} outputs")


if __name__ == "__main__":
    export(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__)))
