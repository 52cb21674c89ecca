# Step: the project's TensorFlow op library (native/tf-ops: the students' RMSProp step in one pass), compiled against
# the libtensorflow of step 40 with the C++ headers of the same wheel, and the small addon that registers it with
# tfjs-node's TensorFlow (src/nn/tf-ops.ts). The exported student graphs use the op.

ops="build/native/distill_lab_ops.so"
ops_src="native/tf-ops/centered_rmsprop.cc"
loader="build/native/tf_ops_loader.node"
loader_src="native/tf-ops/load_ops.c"
tf_lib="node_modules/@tensorflow/tfjs-node/deps/lib"

# Built for one TensorFlow version: a changed version or source rebuilds it.
if [ ! -f "$ops" ] || [ "$ops_src" -nt "$ops" ] || [ "$(cat "$ops.version" 2>/dev/null)" != "$TF_VERSION" ]; then
  headers="$CACHE/tensorflow-headers-$TF_VERSION"
  if [ ! -f "$headers/.complete" ]; then
    wheel="$(ls "$CACHE"/wheels/tensorflow_cpu-"$TF_VERSION"-cp311-*.whl 2>/dev/null | head -1 || true)"
    [ -n "$wheel" ] || die tf-ops "the tensorflow-cpu $TF_VERSION wheel is not in $CACHE/wheels" \
      "rm -rf $CACHE/libtensorflow-cpu-$TF_VERSION node_modules/@tensorflow/tfjs-node/deps and re-run: bash scripts/setup.sh"
    info "tf-ops: extracting TensorFlow's C++ headers from $(basename "$wheel") (once)"
    rm -rf "$headers.partial" && mkdir -p "$headers.partial"
    run_logged tf-ops "delete $wheel and re-run: bash scripts/setup.sh" \
      unzip -q -o "$wheel" 'tensorflow/include/*' -d "$headers.partial"
    touch "$headers.partial/.complete"
    rm -rf "$headers" && mv "$headers.partial" "$headers"
  fi
  mkdir -p build/native
  info "tf-ops: compiling $ops_src"
  # -fno-math-errno lets the square root vectorise; -ffp-contract=off keeps rmsprop.ts's rounding (no fused multiply-add).
  run_logged tf-ops "read the log above; a compiler error usually means g++ is missing (apt-get install -y g++)" \
    g++ -O3 -shared -fPIC -fno-math-errno -ffp-contract=off -Wno-deprecated-declarations --std=c++17 \
    -D_GLIBCXX_USE_CXX11_ABI=1 -DEIGEN_MAX_ALIGN_BYTES=64 -I"$headers/tensorflow/include" \
    -o "$ops.partial" "$ops_src" -L"$tf_lib" -l:libtensorflow_framework.so.2
  mv "$ops.partial" "$ops"
  echo "$TF_VERSION" > "$ops.version"
fi
if [ ! -f "$loader" ] || [ "$loader_src" -nt "$loader" ]; then
  nodedir="$(dirname "$(dirname "$(command -v node)")")"
  run_logged tf-ops "install gcc and the Node headers (apt-get install -y build-essential libnode-dev)" \
    gcc -O2 -shared -fPIC -I"$nodedir/include/node" -o "$loader" "$loader_src" -ldl
fi
# Loads as the runs will: tfjs-node's TensorFlow, then the library through the loader.
TF_CPP_MIN_LOG_LEVEL=3 node -e "
  const { realpathSync } = require('node:fs');
  require('@tensorflow/tfjs-node');
  require('./$loader').loadTensorFlowOps(realpathSync('$tf_lib/libtensorflow.so'), '$ROOT/$ops');" 2>/dev/null \
  || die tf-ops "$ops does not load into tfjs-node's TensorFlow" "rm -f $ops $loader and re-run: bash scripts/setup.sh"
ok tf-ops "$ops (loads)"
