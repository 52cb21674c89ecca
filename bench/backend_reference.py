"""Reference timings for bench/backend.ts: the same three training steps in TensorFlow-Python graph mode
(tf.function) or, when it is installed, PyTorch on the CPU (`python backend_reference.py REPEATS tensorflow|pytorch`,
one framework per process). Prints one JSON object on stdout.

Same layers (valid convolutions, ReLU, dense), same losses (Huber TD error with a target network;
softmax KL with teacher temperature) and the same RMSProp arithmetic as tfjs
(ms = ρ·ms + (1−ρ)·g², v −= lr·g/√(ms+ε); centred for the MinAtar net).
"""
import json
import os
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

STEPS = {
    "nature-dqn": dict(kind="dqn", shape=(84, 84, 4), convs=[(32, 8, 4), (64, 4, 2), (64, 3, 1)], hidden=[512], actions=18, batch=32, lr=2.5e-4, centered=False),
    "student-head": dict(kind="kl", inp=3136, sizes=[1028, 512, 18], batch=320, lr=1e-4, tau=0.01),
    "minatar-dqn": dict(kind="dqn", shape=(10, 10, 4), convs=[(16, 3, 1)], hidden=[128], actions=6, batch=32, lr=2.5e-4, centered=True),
}
RHO, EPS, GAMMA = 0.95, 0.01, 0.99


def timed(step, repeats, warmup=3):
    for _ in range(warmup):
        step()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def tf_steps(repeats):
    import numpy as np
    import tensorflow as tf

    rng = np.random.default_rng(0)

    def uniform(shape, fan_in):
        b = 1 / np.sqrt(fan_in)
        return tf.Variable(rng.uniform(-b, b, shape).astype(np.float32))

    def conv_net(cfg):
        h, w, c = cfg["shape"]
        params = []
        for filters, k, s in cfg["convs"]:
            params += [uniform((k, k, c, filters), k * k * c), uniform((filters,), k * k * c)]
            h, w, c = (h - k) // s + 1, (w - k) // s + 1, filters
        dims = [h * w * c] + cfg["hidden"] + [cfg["actions"]]
        for a, b in zip(dims, dims[1:]):
            params += [uniform((a, b), a), uniform((b,), a)]
        return params

    def mlp(dims):
        params = []
        for a, b in zip(dims, dims[1:]):
            params += [uniform((a, b), a), uniform((b,), a)]
        return params

    def apply_conv(cfg, params, x):
        i = 0
        for _, _, s in cfg["convs"]:
            x = tf.nn.relu(tf.nn.conv2d(x, params[i], s, "VALID") + params[i + 1])
            i += 2
        x = tf.reshape(x, (tf.shape(x)[0], -1))
        return apply_dense(params[i:], x)

    def apply_dense(params, x):
        for j in range(0, len(params), 2):
            x = x @ params[j] + params[j + 1]
            if j + 2 < len(params):
                x = tf.nn.relu(x)
        return x

    def rmsprop(params, grads, slots, lr, centered):
        for p, g, (ms, mg) in zip(params, grads, slots):
            ms.assign(RHO * ms + (1 - RHO) * tf.square(g))
            denom = ms - tf.square(mg.assign(RHO * mg + (1 - RHO) * g)) if centered else ms
            p.assign_sub(lr * g / tf.sqrt(denom + EPS))

    results = {}
    for name, cfg in STEPS.items():
        if cfg["kind"] == "dqn":
            online, target = conv_net(cfg), conv_net(cfg)
            s = tf.constant(rng.random((cfg["batch"],) + cfg["shape"], dtype=np.float32))
            s2 = tf.constant(rng.random((cfg["batch"],) + cfg["shape"], dtype=np.float32))
            a = tf.constant(rng.integers(0, cfg["actions"], cfg["batch"]), tf.int32)
            r = tf.constant(rng.random(cfg["batch"], dtype=np.float32))
            params = online

            def loss_fn(cfg=cfg, online=online, target=target, s=s, s2=s2, a=a, r=r):
                target_q = r + GAMMA * tf.reduce_max(apply_conv(cfg, target, s2), 1)
                q = tf.reduce_sum(apply_conv(cfg, online, s) * tf.one_hot(a, cfg["actions"]), 1)
                return tf.reduce_mean(tf.keras.losses.Huber(reduction="none")(target_q[:, None], q[:, None]))
        else:
            params = mlp([cfg["inp"]] + cfg["sizes"])
            x = tf.constant(rng.random((cfg["batch"], cfg["inp"]), dtype=np.float32))
            tq = tf.constant(rng.random((cfg["batch"], 18), dtype=np.float32) * 10)

            def loss_fn(cfg=cfg, params=params, x=x, tq=tq):
                p_log = tf.nn.log_softmax(tq / cfg["tau"])
                q_log = tf.nn.log_softmax(apply_dense(params, x))
                return tf.reduce_mean(tf.reduce_sum(tf.exp(p_log) * (p_log - q_log), 1))

        slots = [(tf.Variable(tf.zeros_like(p)), tf.Variable(tf.zeros_like(p))) for p in params]

        @tf.function
        def step(params=params, slots=slots, loss_fn=loss_fn, cfg=cfg):
            with tf.GradientTape() as tape:
                loss = loss_fn()
            rmsprop(params, tape.gradient(loss, params), slots, cfg["lr"], cfg.get("centered", False))
            return loss

        results[name] = timed(lambda step=step: step().numpy(), repeats)
    return {"tensorflow": tf.__version__, "steps": results}


def torch_steps(repeats):
    import torch
    from torch import nn

    torch.manual_seed(0)
    results = {}
    for name, cfg in STEPS.items():
        if cfg["kind"] == "dqn":
            def net(cfg=cfg):
                layers, (h, w, c) = [], cfg["shape"]
                for filters, k, s in cfg["convs"]:
                    layers += [nn.Conv2d(c, filters, k, s), nn.ReLU()]
                    h, w, c = (h - k) // s + 1, (w - k) // s + 1, filters
                dims = [h * w * c] + cfg["hidden"] + [cfg["actions"]]
                layers.append(nn.Flatten())
                for i, (a, b) in enumerate(zip(dims, dims[1:])):
                    layers.append(nn.Linear(a, b))
                    if i < len(dims) - 2:
                        layers.append(nn.ReLU())
                return nn.Sequential(*layers)

            online, target = net(), net()
            shape = (cfg["batch"], cfg["shape"][2], cfg["shape"][0], cfg["shape"][1])
            s, s2 = torch.rand(shape), torch.rand(shape)
            a = torch.randint(0, cfg["actions"], (cfg["batch"],))
            r = torch.rand(cfg["batch"])
            opt = torch.optim.RMSprop(online.parameters(), lr=cfg["lr"], alpha=RHO, eps=EPS, centered=cfg["centered"])

            def step(online=online, target=target, s=s, s2=s2, a=a, r=r, opt=opt):
                with torch.no_grad():
                    target_q = r + GAMMA * target(s2).max(1).values
                q = online(s).gather(1, a[:, None])[:, 0]
                loss = nn.functional.huber_loss(q, target_q)
                opt.zero_grad()
                loss.backward()
                opt.step()
        else:
            head = nn.Sequential(nn.Linear(3136, 1028), nn.ReLU(), nn.Linear(1028, 512), nn.ReLU(), nn.Linear(512, 18))
            x, tq = torch.rand(cfg["batch"], 3136), torch.rand(cfg["batch"], 18) * 10
            opt = torch.optim.RMSprop(head.parameters(), lr=cfg["lr"], alpha=RHO, eps=EPS)

            def step(head=head, x=x, tq=tq, opt=opt, cfg=cfg):
                p_log = torch.log_softmax(tq / cfg["tau"], 1)
                loss = (p_log.exp() * (p_log - torch.log_softmax(head(x), 1))).sum(1).mean()
                opt.zero_grad()
                loss.backward()
                opt.step()

        results[name] = timed(step, repeats)
    return {"torch": torch.__version__, "steps": results}


if __name__ == "__main__":
    # One framework per process: TensorFlow and PyTorch each bundle LLVM, and importing both aborts.
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    framework = sys.argv[2] if len(sys.argv) > 2 else "tensorflow"
    if framework == "tensorflow":
        out = tf_steps(repeats)
    else:
        try:
            import torch  # noqa: F401
            out = torch_steps(repeats)
        except ImportError:
            out = None
    print(json.dumps(out))
