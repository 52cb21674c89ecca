# Step: native TensorFlow under tfjs-node, built against the libtensorflow inside PyPI's wheel
# (tfjs-node's own installer downloads it from a host these machines cannot reach).



# fetch_libtensorflow WHEEL_NAME DEST: the wheel into the cache, then its libraries (stripped) and C headers.
fetch_libtensorflow() {
  local wheel_name="$1" dest="$2"
  [ -f "$dest/.complete" ] && return 0
  local wheels="$CACHE/wheels"
  mkdir -p "$wheels"
  local wheel
  wheel="$(ls "$wheels"/"${wheel_name//-/_}"-"$TF_VERSION"-cp311-*.whl 2>/dev/null | head -1 || true)"
  if [ -z "$wheel" ] || ! unzip -tq "$wheel" >/dev/null 2>&1; then
    info "tensorflow: downloading $wheel_name==$TF_VERSION wheel into $wheels (once)"
    rm -f "$wheels"/"${wheel_name//-/_}"-"$TF_VERSION"-*.whl
    run_logged tensorflow "check PyPI is reachable and $CACHE has ~1 GB free, then re-run: bash scripts/setup.sh" \
      "$VPY" -m pip download --disable-pip-version-check --no-deps --only-binary=:all: --python-version 3.11 \
      --platform manylinux_2_27_x86_64 "$wheel_name==$TF_VERSION" -d "$wheels"
    wheel="$(ls "$wheels"/"${wheel_name//-/_}"-"$TF_VERSION"-cp311-*.whl | head -1)"
  fi
  info "tensorflow: extracting and stripping libtensorflow from $(basename "$wheel")"
  local tmp="$dest.partial"
  rm -rf "$tmp" && mkdir -p "$tmp/lib" "$tmp/include"
  run_logged tensorflow "delete $wheel and re-run: bash scripts/setup.sh" \
    unzip -q -o "$wheel" 'tensorflow/libtensorflow_cc.so.2' 'tensorflow/libtensorflow_framework.so.2' \
    'tensorflow/include/tensorflow/c/*' 'tensorflow/include/tensorflow/core/platform/ctstring*' \
    'tensorflow/include/tsl/platform/ctstring*' 'tensorflow/include/xla/tsl/c/*' -d "$tmp/wheel"
  for lib in libtensorflow_cc.so.2 libtensorflow_framework.so.2; do
    run_logged tensorflow "install binutils (apt-get install -y binutils) and re-run" \
      strip --strip-unneeded -o "$tmp/lib/$lib" "$tmp/wheel/tensorflow/$lib"
  done
  cp -a "$tmp/wheel/tensorflow/include/." "$tmp/include/"
  rm -rf "$tmp/wheel" "$dest"
  touch "$tmp/.complete"
  mv "$tmp" "$dest"
}

# layout_and_build PACKAGE LIBDIR: libraries and headers where the addon's build and rpath expect them, then build.
layout_and_build() {
  local pkg_dir="node_modules/@tensorflow/$1" src="$2"
  local deps="$pkg_dir/deps"
  [ -d "$pkg_dir" ] || die tensorflow "$pkg_dir is missing" "re-run: bash scripts/setup.sh (step npm installs it)"
  rm -rf "$deps" && mkdir -p "$deps/lib"
  # Hard links when the cache shares the file system (instant, no second 630 MB copy), else a copy.
  cp -al "$src/lib/." "$deps/lib/" 2>/dev/null || cp -a "$src/lib/." "$deps/lib/"
  cp -a "$src/include" "$deps/include"
  ln -sf libtensorflow_cc.so.2 "$deps/lib/libtensorflow.so"
  ln -sf libtensorflow_framework.so.2 "$deps/lib/libtensorflow_framework.so"
  # scripts/install.js skips its download when this exact file exists.
  ln -sf libtensorflow_cc.so.2 "$deps/lib/libtensorflow.so.2.9.1"
  [ "$1" = tfjs-node-gpu ] && link_cuda_libraries "$deps"
  local nodedir
  nodedir="$(dirname "$(dirname "$(command -v node)")")"
  [ -f "$nodedir/include/node/node_api.h" ] \
    || die tensorflow "Node headers not found at $nodedir/include/node" "install the Node.js development headers (Debian: apt-get install -y libnode-dev) and re-run"
  info "tensorflow: compiling the $1 addon against TensorFlow $TF_VERSION"
  # The package's own install script, called without npm: tfjs-node-gpu's npm script passes 'download', which
  # deletes deps/ and fetches libtensorflow from a host these machines cannot reach. nodedir: the installed
  # headers instead of downloading them; build_from_source: node-pre-gyp compiles instead of fetching a binary.
  local variant=""
  [ "$1" = tfjs-node-gpu ] && variant=gpu
  run_logged tensorflow "read the log above; a compiler error usually means g++ or the Node headers are missing" \
    env -C "$pkg_dir" PATH="$ROOT/node_modules/.bin:$PATH" npm_config_nodedir="$nodedir" \
    npm_config_build_from_source=true node scripts/install.js $variant
}

# link_cuda_libraries DEPS: libtensorflow finds CUDA's libraries through its RUNPATH, $ORIGIN/../nvidia/*/lib as in
# the wheel's layout; without this link a GPU machine would silently run on the CPU. The libraries TensorFlow's
# loader needs must be there (nvshmem, also in the RUNPATH, is for multi-GPU and not in tensorflow[and-cuda]).
link_cuda_libraries() {
  local deps="$1" nvidia missing=""
  nvidia="$("$VPY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/nvidia"
  [ -d "$nvidia" ] || die tensorflow-gpu "$nvidia is missing (the nvidia-* packages of tensorflow[and-cuda])" "re-run: bash scripts/setup.sh --gpu"
  ln -sfn "$nvidia" "$deps/nvidia"
  for package in cuda_runtime cublas cudnn cufft cusolver cusparse; do
    [ -d "$deps/nvidia/$package/lib" ] || missing="$missing $package"
  done
  [ -z "$missing" ] || die tensorflow-gpu "CUDA libraries missing from $nvidia:$missing" "rm -rf .venv && bash scripts/setup.sh --gpu"
}

addon_loads() { # PACKAGE -> prints the TF version when the addon loads with the native backend
  TF_CPP_MIN_LOG_LEVEL=3 node -e "
    const tf = require('@tensorflow/$1');
    if (tf.getBackend() !== 'tensorflow') process.exit(1);
    console.log(tf.backend().binding.TF_Version);" 2>/dev/null
}

if version="$(addon_loads tfjs-node)" && [ "$version" = "$TF_VERSION" ]; then
  ok tensorflow "native CPU addon already built (TensorFlow $version)"
else
  fetch_libtensorflow tensorflow-cpu "$CACHE/libtensorflow-cpu-$TF_VERSION"
  layout_and_build tfjs-node "$CACHE/libtensorflow-cpu-$TF_VERSION"
  version="$(addon_loads tfjs-node)" \
    || die tensorflow "the addon built but does not load with the 'tensorflow' backend" "delete node_modules/@tensorflow/tfjs-node/deps and re-run: bash scripts/setup.sh"
  ok tensorflow "native CPU addon built and loaded (TensorFlow $version)"
fi

if [ "${WANT_GPU:-0}" = 1 ]; then
  if ! command -v nvidia-smi >/dev/null || ! nvidia-smi -L >/dev/null 2>&1; then
    info "tensorflow: --gpu asked but no NVIDIA GPU is visible (nvidia-smi -L failed); staying on the CPU addon"
  elif version="$(addon_loads tfjs-node-gpu)"; then
    ok tensorflow-gpu "GPU addon already built (TensorFlow $version)"
  else
    # The CUDA libraries libtensorflow dlopens at run time come from PyPI's nvidia-* packages in the venv.
    pip_install tensorflow-gpu "tensorflow[and-cuda]==$TF_VERSION"
    if [ ! -d node_modules/@tensorflow/tfjs-node-gpu ]; then
      run_logged tensorflow-gpu "check the npm registry is reachable, then re-run: bash scripts/setup.sh --gpu" \
        npm install --no-save --ignore-scripts "@tensorflow/tfjs-node-gpu@$TFJS_VERSION"
    fi
    fetch_libtensorflow tensorflow "$CACHE/libtensorflow-gpu-$TF_VERSION"
    layout_and_build tfjs-node-gpu "$CACHE/libtensorflow-gpu-$TF_VERSION"
    version="$(addon_loads tfjs-node-gpu)" \
      || die tensorflow-gpu "the GPU addon built but does not load" "delete node_modules/@tensorflow/tfjs-node-gpu/deps and re-run: bash scripts/setup.sh --gpu"
    touch "$STAMPS/gpu"
    ok tensorflow-gpu "GPU addon built and loaded (TensorFlow $version)"
  fi
fi

# The small addon that keeps TensorFlow's load-time log lines out of the output (src/nn/backend.ts).
guard="build/native/stderr_guard.node"
guard_src="native/stderr-guard/stderr_guard.c"
if [ ! -f "$guard" ] || [ "$guard_src" -nt "$guard" ]; then
  mkdir -p build/native
  nodedir="$(dirname "$(dirname "$(command -v node)")")"
  run_logged tensorflow "install gcc and the Node headers (apt-get install -y build-essential libnode-dev)" \
    gcc -O2 -shared -fPIC -I"$nodedir/include/node" -o "$guard" "$guard_src"
fi
ok stderr-guard "$guard"
