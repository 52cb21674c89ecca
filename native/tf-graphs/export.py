"""Exports training updates as TensorFlow graphs (SavedModels) that `src/nn/exported-graph.ts` runs through
tfjs-node's session API: one call per update instead of ~90–200 eager kernels issued from JavaScript.

The graphs hold no variables: the networks' weights, the RMSProp slots and the batch go in, the new weights,
slots and the loss come out, so the tfjs Variables (and every checkpoint) stay exactly as in the eager path.

- `minatar-dqn`, `nature-dqn`: the teachers' DQN update, the arithmetic of `src/train/dqn-agent.ts` +
  `src/nn/rmsprop.ts` (checked update for update by `src/train/dqn-agent.test.ts`). One graph per network
  shape family (the strides are static); channel, action and batch sizes are dynamic; hyper-parameters are inputs.
- `student-{architecture}-{family}-g{games}-d{dense}`: the distillation update of `src/distill/distiller.ts`
  (the student's forward pass over every game's batch, the importance-weighted eq. 4 KL, its gradient and
  RMSProp), for the students of `src/nn/students/` with that many games and dense layers (checked against the
  eager route by `src/distill/student-routes.test.ts`; eq. 4 alone against its TypeScript statements by
  `src/nn/distillation-kl-gradient.test.ts`, through `student-head-d3`). The per-game structure is unrolled, so
  each game count is its own graph: the ones exported are those the presets use; other counts take the eager route.
  Each also has `update_seeds` and `forward_seeds`: the same for S students at once (a seed batch), every
  per-seed input (weights, RMSProp slots, batches) with a leading seed axis, as batched matrix products.
- `student-head-d3`: the shared head alone (features in), the step `bench/backend.ts` compares with TF and PyTorch.
- `minatar-pqn`: the PQN teacher's learning phase of one rollout (`src/train/pqn-trainer.ts`): every minibatch
  step of every epoch (squared TD loss on λ-returns, global-norm clipping, RAdam of `src/nn/radam.ts`) in one
  call, looping inside the graph; and its Q-network's forward pass (LayerNorm in the head).

Run by `npm run graphs` (needs TensorFlow in .venv: `bash scripts/setup.sh --bench`); the output is committed.
"""
import json
import os
import re
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf  # noqa: E402
from tensorflow.core.protobuf import saved_model_pb2  # noqa: E402

# Must match src/nn/graph-names.ts: (kernel, stride) per convolution.
CONV_FAMILIES = {
    "minatar": [(3, 1)],
    "nature": [(8, 4), (4, 2), (3, 1)],
}
DQN_GRAPHS = {"minatar-dqn": "minatar", "nature-dqn": "nature"}
# (architecture, conv family, games, dense layers): MinAtar's five games with each preset's hidden widths.
STUDENT_GRAPHS = [("proposed", "minatar", 5, 3), ("dist", "minatar", 5, 2), ("amn", "minatar", 5, 3)]
HEAD_DENSE = 3
RMSPROP_SCALARS = ("learning_rate", "decay", "epsilon", "epsilon_outside_root", "centered")


def spec(shape, name, dtype=tf.float32):
    return tf.TensorSpec(shape, dtype, name=name)


def conv_specs(family):
    return [s for kernel, _ in CONV_FAMILIES[family] for s in ([kernel, kernel, None, None], [None])]


def dense_specs(count):
    return [s for _ in range(count) for s in ([None, None], [None])]


def conv_output_sizes(family, height, width):
    """The height and width after the family's VALID convolutions, from the input's.

    The flattened features are sized from these, not from the convolutions' output shape: for a batch of no rows (a
    game whose evaluation episodes have all ended, batched-evaluation.ts) TensorFlow's oneDNN convolution returns an
    empty tensor in its input's shape.
    """
    for kernel, stride in CONV_FAMILIES[family]:
        height, width = (height - kernel) // stride + 1, (width - kernel) // stride + 1
    return height, width


def torso(family, params, x):
    """Convolutions with rectifiers, flattened (layers.ts convTorso); consumes 2 parameters per layer."""
    rows, height, width = tf.unstack(tf.shape(x)[:3])
    for i, (_, stride) in enumerate(CONV_FAMILIES[family]):
        x = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(x, params[2 * i], stride, "VALID"), params[2 * i + 1]))
    height, width = conv_output_sizes(family, height, width)
    return tf.reshape(x, [rows, height * width * tf.shape(params[-1])[0]])


def mlp(params, x):
    """Dense layers, rectifiers between, linear output (layers.ts mlp)."""
    layers = len(params) // 2
    for i in range(layers):
        x = tf.nn.bias_add(tf.matmul(x, params[2 * i]), params[2 * i + 1])
        if i + 1 < layers:
            x = tf.nn.relu(x)
    return x


def q_values(family, dense, params, x):
    convs = 2 * len(CONV_FAMILIES[family])
    return mlp(params[convs : convs + 2 * dense], torso(family, params[:convs], x))


def huber(error):
    absolute = tf.abs(error)
    quadratic = tf.minimum(absolute, 1.0)
    return 0.5 * tf.square(quadratic) + (absolute - quadratic)


def rmsprop_step(inputs, params, grads):
    """rmsprop.ts on the flat vector of all gradients, as TensorFlow ops: new parameters and running averages."""
    g = tf.concat([tf.reshape(grad, [-1]) for grad in grads], 0)
    decay = inputs["decay"]
    ms = inputs["mean_square"] * decay + tf.square(g) * (1 - decay)
    centered = inputs["centered"] > 0.5
    # Not centred: the mean gradient passes through untouched (two passes over every parameter saved).
    mg = tf.cond(centered, lambda: inputs["mean_gradient"] * decay + g * (1 - decay), lambda: inputs["mean_gradient"])
    denominator = tf.cond(centered, lambda: ms - tf.square(mg), lambda: ms)
    eps = inputs["epsilon"]
    scale = tf.cond(
        inputs["epsilon_outside_root"] > 0.5,
        lambda: tf.math.reciprocal(tf.sqrt(denominator) + eps),
        lambda: tf.math.rsqrt(denominator + eps),
    )
    step = g * inputs["learning_rate"] * scale
    parts = tf.split(step, [tf.size(p) for p in params], 0)
    return [p - tf.reshape(s, tf.shape(p)) for p, s in zip(params, parts)], ms, mg


# The project's op library (native/tf-ops, built by `bash scripts/setup.sh`): the student graphs use its
# DistillLabRmsProp, the same step in one pass over the weights instead of about fifteen element-wise ops.
OPS_LIBRARY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "build", "native", "distill_lab_ops.so")
STUDENT_OPS = ["DistillLabRmsProp"]
_ops = []


def load_project_ops():
    """The op library, loaded once, before any graph that uses it is traced."""
    if not _ops:
        if not os.path.exists(OPS_LIBRARY):
            sys.exit(f"{OPS_LIBRARY} is missing: build it with bash scripts/setup.sh")
        _ops.append(tf.load_op_library(OPS_LIBRARY))
    return _ops[0]


def fused_rmsprop_step(inputs, params, grads, seeds):
    """rmsprop_step through the op library; with `seeds`, every parameter and slot has a leading seed axis."""
    names = ("mean_square", "mean_gradient", "learning_rate", "decay", "epsilon", "epsilon_outside_root", "centered")
    values, ms, mg = load_project_ops().distill_lab_rms_prop(params, grads, *(inputs[name] for name in names), seeds=seeds)
    return list(values), ms, mg


def rmsprop_specs():
    specs = {name: spec([], name) for name in RMSPROP_SCALARS}
    specs.update(mean_square=spec([None], "mean_square"), mean_gradient=spec([None], "mean_gradient"))
    return specs


def dqn_update(family):
    n = len(conv_specs(family)) + 4

    def update(inputs):
        online = [inputs[f"online_{i}"] for i in range(n)]
        target = [inputs[f"target_{i}"] for i in range(n)]
        next_obs = inputs["next_observations"]
        q_next_target = q_values(family, 2, target, next_obs)
        selector = tf.cond(
            inputs["double_dqn"] > 0.5, lambda: q_values(family, 2, online, next_obs), lambda: q_next_target
        )
        num_actions = tf.shape(q_next_target)[1]
        best = tf.one_hot(tf.argmax(selector, 1, output_type=tf.int32), num_actions)
        bootstrap = inputs["rewards"] + inputs["discounts"] * tf.reduce_sum(q_next_target * best, 1)
        taken = tf.one_hot(inputs["actions"], num_actions)
        with tf.GradientTape() as tape:
            tape.watch(online)
            q = q_values(family, 2, online, inputs["observations"])
            td = tf.stop_gradient(bootstrap) - tf.reduce_sum(q * taken, 1)
            per_row = tf.cond(inputs["huber"] > 0.5, lambda: huber(td), lambda: 0.5 * tf.square(td))
            loss = tf.reduce_mean(per_row)
        values, ms, mg = rmsprop_step(inputs, online, tape.gradient(loss, online))
        outputs = {f"online_{i}": v for i, v in enumerate(values)}
        outputs.update(mean_square=ms, mean_gradient=mg, loss=loss)
        return outputs

    specs = rmsprop_specs()
    for i, shape in enumerate(conv_specs(family) + dense_specs(2)):
        specs[f"online_{i}"] = spec(shape, f"online_{i}")
        specs[f"target_{i}"] = spec(shape, f"target_{i}")
    for name in ("observations", "next_observations"):
        specs[name] = spec([None, None, None, None], name)
    specs["actions"] = spec([None], "actions", tf.int32)
    for name in ("rewards", "discounts"):
        specs[name] = spec([None], name)
    for name in ("huber", "double_dqn"):
        specs[name] = spec([], name)
    return tf.function(update).get_concrete_function(specs)


def dqn_forward(family):
    """The Q-network's forward pass (qnetwork.ts): what a teacher computes to act and to label experiences."""
    shapes = conv_specs(family) + dense_specs(2)

    def forward(inputs):
        params = [inputs[f"param_{i}"] for i in range(len(shapes))]
        return {"q": q_values(family, 2, params, inputs["observations"] * inputs["input_scale"])}

    specs = {f"param_{i}": spec(shape, f"param_{i}") for i, shape in enumerate(shapes)}
    specs.update(observations=spec([None, None, None, None], "observations"), input_scale=spec([], "input_scale"))
    return tf.function(forward).get_concrete_function(specs)


def student_param_shapes(architecture, family, games, dense):
    """The student's variables in its own order (students/*.ts): torsos first, then the fully connected layers."""
    heads = dense_specs(dense)
    if architecture == "head":
        return heads
    convs = conv_specs(family)
    if architecture == "proposed":
        return convs * games + heads
    if architecture == "dist":
        return convs + heads * games
    if architecture == "amn":
        return convs + heads
    raise ValueError(architecture)


def pad_channels(x, channels):
    return tf.pad(x, [[0, 0], [0, 0], [0, 0], [0, channels - tf.shape(x)[3]]])


def student_q(architecture, family, games, dense, params, inputs):
    """q_S of every game's batch, rows stacked in game order (students/*.ts forwardAll)."""
    if architecture == "head":
        return mlp(params, inputs["features"])
    obs = [inputs[f"observations_{g}"] * inputs["input_scale"] for g in range(games)]
    c = len(conv_specs(family))
    if architecture == "proposed":
        features = [torso(family, params[g * c : (g + 1) * c], x) for g, x in enumerate(obs)]
        return mlp(params[games * c :], tf.concat(features, 0))
    # Shared convolutions read the largest channel count; smaller games are zero-padded (student.ts padChannels).
    channels = tf.shape(params[0])[2]
    features = torso(family, params[:c], tf.concat([pad_channels(x, channels) for x in obs], 0))
    if architecture == "amn":
        return mlp(params[c:], features)
    per_game = tf.split(features, tf.stack([tf.shape(x)[0] for x in obs]), 0, num=games)
    heads = [params[c + g * 2 * dense : c + (g + 1) * 2 * dense] for g in range(games)]
    return tf.concat(
        [tf.matmul(mlp(h, f), inputs[f"action_scatter_{g}"]) for g, (h, f) in enumerate(zip(heads, per_game))], 0
    )


def masked_log_softmax(logits, legal):
    # Illegal actions get a logit far below any real one: exp() of it is 0 and its gradient is 0 (distillation-kl-gradient.ts).
    return tf.nn.log_softmax(tf.where(legal > 0.5, logits, tf.fill(tf.shape(logits), -1e9)))


def student_input_specs(architecture, games, shapes):
    specs = {f"param_{i}": spec(shape, f"param_{i}") for i, shape in enumerate(shapes)}
    if architecture == "head":
        specs["features"] = spec([None, None], "features")
        return specs
    specs["input_scale"] = spec([], "input_scale")
    for g in range(games):
        specs[f"observations_{g}"] = spec([None, None, None, None], f"observations_{g}")
        if architecture == "dist":
            specs[f"action_scatter_{g}"] = spec([None, None], f"action_scatter_{g}")
    return specs


def student_forward(architecture, family, games, dense, seeds=False):
    """q_S of one batch per game: what the student computes to act and to be evaluated."""
    shapes = student_param_shapes(architecture, family, games, dense)

    q_of = seed_student_q if seeds else student_q

    def forward(inputs):
        params = [inputs[f"param_{i}"] for i in range(len(shapes))]
        return {"student_q": q_of(architecture, family, games, dense, params, inputs)}

    specs = student_input_specs(architecture, games, shapes)
    return tf.function(forward).get_concrete_function(seed_specs(specs) if seeds else specs)


# Inputs that differ between the seeds of a seed batch (weights, optimizer slots, batches); the rest are shared.
PER_SEED_PREFIXES = ("param_", "observations_", "mean_square", "mean_gradient", "teacher_q", "row_weights")


def seed_specs(specs):
    """`specs` with a leading seed axis on every per-seed input."""
    return {k: spec([None, *v.shape], k, v.dtype) if k.startswith(PER_SEED_PREFIXES) else v for k, v in specs.items()}


# The seed-axis layers below compute layers.ts's convolution and dense layers for S students at once. The
# convolution is one grouped convolution with the seeds side by side in the channels (each seed's filters see only
# its own channels): 7 % faster per update at 5 seeds than a batched product over patches, and tf.vectorized_map's
# convolution with per-seed filters ran 14x slower than one seed here.
def seed_conv(x, w, b, stride):
    """x [S, N, H, W, C], w [S, k, k, C, F]: VALID convolution per seed, y [S, N, H', W', F]."""
    seeds, rows, height, width, channels = tf.unstack(tf.shape(x))
    filters = tf.shape(w)[4]
    grouped_x = tf.reshape(tf.transpose(x, [1, 2, 3, 0, 4]), [rows, height, width, seeds * channels])
    # [k, k, C, S·F]: output channel s·F + f is seed s's filter f, reading input channels s·C … s·C + C − 1.
    grouped_w = tf.reshape(tf.transpose(w, [1, 2, 3, 0, 4]), [w.shape[1], w.shape[2], channels, seeds * filters])
    y = tf.nn.conv2d(grouped_x, grouped_w, stride, "VALID")
    out_h, out_w = tf.shape(y)[1], tf.shape(y)[2]
    y = tf.transpose(tf.reshape(y, [rows, out_h, out_w, seeds, filters]), [3, 0, 1, 2, 4])
    return y + b[:, None, None, None, :]


def seed_torso(family, params, x):
    seeds, rows, height, width = tf.unstack(tf.shape(x)[:4])
    for i, (_, stride) in enumerate(CONV_FAMILIES[family]):
        x = tf.nn.relu(seed_conv(x, params[2 * i], params[2 * i + 1], stride))
    height, width = conv_output_sizes(family, height, width)
    return tf.reshape(x, [seeds, rows, height * width * tf.shape(params[-1])[1]])


def seed_mlp(params, x):
    layers = len(params) // 2
    for i in range(layers):
        x = tf.matmul(x, params[2 * i]) + params[2 * i + 1][:, None, :]
        if i + 1 < layers:
            x = tf.nn.relu(x)
    return x


def seed_student_q(architecture, family, games, dense, params, inputs):
    """student_q for S students: [S, rows of every game, actions]."""
    obs = [inputs[f"observations_{g}"] * inputs["input_scale"] for g in range(games)]
    c = len(conv_specs(family))
    if architecture == "proposed":
        features = [seed_torso(family, params[g * c : (g + 1) * c], x) for g, x in enumerate(obs)]
        return seed_mlp(params[games * c :], tf.concat(features, 1))
    channels = tf.shape(params[0])[3]
    padded = [tf.pad(x, [[0, 0], [0, 0], [0, 0], [0, 0], [0, channels - tf.shape(x)[4]]]) for x in obs]
    features = seed_torso(family, params[:c], tf.concat(padded, 1))
    if architecture == "amn":
        return seed_mlp(params[c:], features)
    per_game = tf.split(features, tf.stack([tf.shape(x)[1] for x in obs]), 1, num=games)
    heads = [params[c + g * 2 * dense : c + (g + 1) * 2 * dense] for g in range(games)]
    return tf.concat(
        [
            tf.einsum("sna,ab->snb", seed_mlp(h, f), inputs[f"action_scatter_{g}"])
            for g, (h, f) in enumerate(zip(heads, per_game))
        ],
        1,
    )


def student_update(architecture, family, games, dense, seeds=False):
    shapes = student_param_shapes(architecture, family, games, dense)

    q_of = seed_student_q if seeds else student_q

    def update(inputs):
        params = [inputs[f"param_{i}"] for i in range(len(shapes))]
        legal = inputs["legal"]
        # Eq. 4, as src/nn/losses.ts and src/nn/distillation-kl-gradient.ts state it (TensorFlow graphs are built here).
        teacher_log = masked_log_softmax(inputs["teacher_q"] / inputs["tau"], legal)
        with tf.GradientTape() as tape:
            tape.watch(params)
            q = q_of(architecture, family, games, dense, params, inputs)
            kl = tf.reduce_sum(legal * tf.exp(teacher_log) * (teacher_log - masked_log_softmax(q, legal)), -1)
            # Per seed (the last axis sums the rows); the seeds' losses are summed for one gradient, each seed's
            # weights receiving only its own term.
            loss = tf.reduce_sum(inputs["row_weights"] * kl, -1)
            total = tf.reduce_sum(loss)
        values, ms, mg = fused_rmsprop_step(inputs, params, tape.gradient(total, params), seeds)
        outputs = {f"param_{i}": v for i, v in enumerate(values)}
        outputs.update(mean_square=ms, mean_gradient=mg, loss=loss, student_q=q)
        return outputs

    specs = rmsprop_specs()
    specs.update(student_input_specs(architecture, games, shapes))
    for name in ("teacher_q", "legal"):
        specs[name] = spec([None, None], name)
    specs["row_weights"] = spec([None], "row_weights")
    specs["tau"] = spec([], "tau")
    return tf.function(update).get_concrete_function(seed_specs(specs) if seeds else specs)


def layer_norm_head(params, x):
    """Dense → LayerNorm (ε 1e-5) → rectifier → dense (layers.ts mlp with layerNorm); 6 parameters."""
    h = tf.nn.bias_add(tf.matmul(x, params[0]), params[1])
    mean, variance = tf.nn.moments(h, axes=[1], keepdims=True)
    h = tf.nn.relu((h - mean) * tf.math.rsqrt(variance + 1e-5) * params[2] + params[3])
    return tf.nn.bias_add(tf.matmul(h, params[4]), params[5])


def pqn_q_values(params, x):
    return layer_norm_head(params[2:], torso("minatar", params[:2], x))


PQN_PARAMS = conv_specs("minatar") + [[None, None], [None], [None], [None], [None, None], [None]]


def pqn_update():
    """Every minibatch step of a rollout's epochs, in order: the arithmetic of pqn-trainer.ts's update + radam.ts."""
    n = len(PQN_PARAMS)

    def update(inputs):
        params = [inputs[f"param_{i}"] for i in range(n)]
        observations, actions, targets = inputs["observations"], inputs["actions"], inputs["targets"]
        order, batch = inputs["order"], inputs["batch_size"]
        beta1, beta2, epsilon, max_norm = inputs["beta1"], inputs["beta2"], inputs["epsilon"], inputs["max_grad_norm"]
        steps = tf.shape(inputs["learning_rates"])[0]
        num_actions = tf.shape(params[-1])[0]
        losses = tf.TensorArray(tf.float32, size=steps)
        m, v = inputs["first_moment"], inputs["second_moment"]
        for k in tf.range(steps):
            tf.autograph.experimental.set_loop_options(
                shape_invariants=[(p, tf.TensorShape(None)) for p in params]
            )
            rows = order[k * batch : (k + 1) * batch]
            x = tf.gather(observations, rows)
            taken = tf.one_hot(tf.gather(actions, rows), num_actions)
            with tf.GradientTape() as tape:
                tape.watch(params)
                q = pqn_q_values(params, x)
                chosen = tf.reduce_sum(q * taken, 1)
                loss = 0.5 * tf.reduce_mean(tf.square(chosen - tf.gather(targets, rows)))
            g = tf.concat([tf.reshape(grad, [-1]) for grad in tape.gradient(loss, params)], 0)
            g = g * tf.minimum(1.0, max_norm / tf.maximum(tf.norm(g), 1e-30))
            m = m * beta1 + g * (1 - beta1)
            v = v * beta2 + tf.square(g) * (1 - beta2)
            step = m * (inputs["learning_rates"][k] * inputs["moment_scales"][k])
            step = tf.cond(
                inputs["rectified"][k] > 0.5,
                lambda: step / (tf.sqrt(v / inputs["second_corrections"][k]) + epsilon),
                lambda: step,
            )
            parts = tf.split(step, [tf.size(p) for p in params], 0)
            params = [p - tf.reshape(s, tf.shape(p)) for p, s in zip(params, parts)]
            losses = losses.write(k, loss)
        outputs = {f"param_{i}": p for i, p in enumerate(params)}
        outputs.update(first_moment=m, second_moment=v, losses=losses.stack())
        return outputs

    specs = {f"param_{i}": spec(shape, f"param_{i}") for i, shape in enumerate(PQN_PARAMS)}
    specs.update(
        observations=spec([None, None, None, None], "observations"),
        actions=spec([None], "actions", tf.int32),
        targets=spec([None], "targets"),
        order=spec([None], "order", tf.int32),
        batch_size=spec([], "batch_size", tf.int32),
        learning_rates=spec([None], "learning_rates"),
        moment_scales=spec([None], "moment_scales"),
        rectified=spec([None], "rectified"),
        second_corrections=spec([None], "second_corrections"),
        first_moment=spec([None], "first_moment"),
        second_moment=spec([None], "second_moment"),
    )
    for name in ("beta1", "beta2", "epsilon", "max_grad_norm"):
        specs[name] = spec([], name)
    return tf.function(update).get_concrete_function(specs)


def pqn_forward():
    def forward(inputs):
        params = [inputs[f"param_{i}"] for i in range(len(PQN_PARAMS))]
        return {"q": pqn_q_values(params, inputs["observations"] * inputs["input_scale"])}

    specs = {f"param_{i}": spec(shape, f"param_{i}") for i, shape in enumerate(PQN_PARAMS)}
    specs.update(observations=spec([None, None, None, None], "observations"), input_scale=spec([], "input_scale"))
    return tf.function(forward).get_concrete_function(specs)


def graphs():
    """(directory, {signature: concrete function builder}) of every exported graph."""
    yield "minatar-pqn", {"update": pqn_update, "forward": pqn_forward}
    for name, family in DQN_GRAPHS.items():
        yield name, {"update": lambda f=family: dqn_update(f), "forward": lambda f=family: dqn_forward(f)}
    for architecture, family, games, dense in STUDENT_GRAPHS:
        structure = (architecture, family, games, dense)
        yield f"student-{architecture}-{family}-g{games}-d{dense}", {
            "update": lambda s=structure: student_update(*s),
            "forward": lambda s=structure: student_forward(*s),
            # S students of one variant, each its own seed, in one call (the seed axis leads every per-seed input).
            "update_seeds": lambda s=structure: student_update(*s, seeds=True),
            "forward_seeds": lambda s=structure: student_forward(*s, seeds=True),
        }
    yield f"student-head-d{HEAD_DENSE}", {"update": lambda: student_update("head", None, 1, HEAD_DENSE)}


def export(out_dir, only=None):
    load_project_ops()
    for name, builders in graphs():
        if only and name not in only:
            continue
        path = os.path.join(out_dir, name)
        tf.saved_model.save(tf.Module(), path, signatures={key: build() for key, build in builders.items()})
        # The op names tfjs-node's session needs, so the TypeScript side loads without parsing protobuf.
        with open(os.path.join(path, "saved_model.pb"), "rb") as f:
            model = saved_model_pb2.SavedModel.FromString(f.read())
        signatures = {}
        for key in builders:
            definition = model.meta_graphs[0].signature_def[key]
            signatures[key] = {
                "inputs": {k: v.name for k, v in sorted(definition.inputs.items())},
                "outputs": {k: v.name for k, v in sorted(definition.outputs.items())},
            }
        with open(os.path.join(path, "signature.json"), "w") as f:
            # The ops of the project's library the graph uses: the loader registers the library before the graph.
            ops = STUDENT_OPS if name.startswith("student-") else []
            text = json.dumps({"graph": name, "tensorflow": tf.__version__, "ops": ops, "signatures": signatures}, indent=2)
            # Short lists on one line, as the repository's formatter (biome) writes them.
            f.write(re.sub(r"\[\s+([^\[\]{}]*?)\s+\]", lambda m: "[" + re.sub(r",\s+", ", ", m.group(1)) + "]", text))
            f.write("\n")
        sizes = ", ".join(f"{k}: {len(v['inputs'])} in, {len(v['outputs'])} out" for k, v in signatures.items())
        print(f"{path}: {sizes}")


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    export(here if len(sys.argv) < 2 else sys.argv[1], set(sys.argv[2:]) or None)
