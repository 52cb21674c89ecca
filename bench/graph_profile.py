"""Where the proposed student's exported update graph spends its time, op by op (TensorFlow's step statistics), for one
student (`update`) or a seed batch of S students (`update_seeds`): the MinAtar student of five games, batches of 32, one
intra-op thread. The ops are grouped into matrix products, convolutions, the RMSProp step and the rest.
  bash scripts/setup.sh --bench --only tf-python && .venv/bin/python bench/graph_profile.py [--seeds 5] [--rounds 10] [--graph DIR]
"""
import argparse
import collections
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
GRAPH = os.path.join(ROOT, "native", "tf-graphs", "student-proposed-minatar-g5-d3")
CHANNELS = [4, 4, 7, 10, 6]  # asterix, breakout, freeway, seaquest, space_invaders
ACTIONS, BATCH, FILTERS = 6, 32, 16
DENSE = [(1024, 256), (256, 128), (128, ACTIONS)]


def feeds(seeds):
    """Random inputs of the graph's `update` (seeds 0) or `update_seeds` signature, by input name."""
    rng = np.random.default_rng(0)
    lead = [seeds] if seeds else []
    shapes = [s for c in CHANNELS for s in ([3, 3, c, FILTERS], [FILTERS])] + [s for a, b in DENSE for s in ([a, b], [b])]
    size = sum(int(np.prod(s)) for s in shapes)
    values = {f"param_{i}": rng.normal(0, 0.05, lead + s) for i, s in enumerate(shapes)}
    for g, c in enumerate(CHANNELS):
        values[f"observations_{g}"] = (rng.random(lead + [BATCH, 10, 10, c]) < 0.1).astype(np.float32)
    rows = len(CHANNELS) * BATCH
    values.update(
        teacher_q=rng.normal(0, 1, lead + [rows, ACTIONS]),
        row_weights=np.full(lead + [rows], 1 / BATCH),
        legal=np.ones([rows, ACTIONS]),
        mean_square=np.zeros(lead + [size]),
        mean_gradient=np.zeros(lead + [size]),
        tau=0.01, input_scale=1.0, learning_rate=2.5e-3, decay=0.95, epsilon=0.01, epsilon_outside_root=0.0, centered=1.0,
    )
    return {k: np.asarray(v, np.float32) for k, v in values.items()}


def group(name, op):
    if "MatMul" in op:
        return "matrix products"
    if "Conv" in op:
        return "convolutions"
    if op == "DistillLabRmsProp" or "/cond" in name or name.rsplit("/", 1)[-1].startswith(("split", "concat", "Square", "sub", "mul", "add")):
        return "RMSProp step (and element-wise ops)"
    return "other"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--graph", default=GRAPH, help="an exported proposed-student graph (default: the committed one)")
    args = parser.parse_args()
    tf.compat.v1.disable_eager_execution()
    tf.load_op_library(os.path.join(ROOT, "build", "native", "distill_lab_ops.so"))
    config = tf.compat.v1.ConfigProto(intra_op_parallelism_threads=1, inter_op_parallelism_threads=1)
    signature = "update_seeds" if args.seeds > 0 else "update"
    with tf.compat.v1.Session(config=config) as session:
        meta = tf.compat.v1.saved_model.loader.load(session, ["serve"], args.graph)
        definition = meta.signature_def[signature]
        given = feeds(args.seeds)
        feed = {v.name: given[k] for k, v in definition.inputs.items()}
        fetches = [v.name for v in definition.outputs.values()]
        for _ in range(5):
            session.run(fetches, feed)
        started = time.perf_counter()
        for _ in range(args.rounds):
            session.run(fetches, feed)
        wall = (time.perf_counter() - started) / args.rounds * 1000
        totals = collections.Counter()
        options = tf.compat.v1.RunOptions(trace_level=tf.compat.v1.RunOptions.FULL_TRACE)
        for _ in range(args.rounds):
            run_metadata = tf.compat.v1.RunMetadata()
            session.run(fetches, feed, options=options, run_metadata=run_metadata)
            for device in run_metadata.step_stats.dev_stats:
                for node in device.node_stats:
                    op = node.timeline_label.split("=")[-1].split("(")[0].strip() if node.timeline_label else ""
                    totals[group(node.node_name, op)] += node.all_end_rel_micros / args.rounds / 1000
    traced = sum(totals.values())
    print(f"{signature}, {args.seeds or 1} student(s): {wall:.2f} ms per call, {traced:.2f} ms traced in ops")
    for name, ms in totals.most_common():
        print(f"  {name}: {ms:.2f} ms ({100 * ms / traced:.0f} %)")


if __name__ == "__main__":
    main()
