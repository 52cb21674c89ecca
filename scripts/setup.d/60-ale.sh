# Step: real Atari. The ALE C++ core (GPL-2.0, from PyPI's ale-py sdist) compiled into the Node addon
# native/ale/build/ale.node, and the ROMs from the ale-py wheel into native/ale/roms/ (both git-ignored).
# .venv gets ale-py + Gymnasium + OpenCV: the frame-for-frame tests and the benchmark compare against them.
ALE_VERSION=0.12.1
ALE_ADDON="native/ale/build/ale.node"
ALE_ROMS="native/ale/roms"
ALE_FIX="delete $CACHE/ale-$ALE_VERSION and re-run: bash scripts/setup.sh --only ale"

pip_install ale "numpy==2.3.5" "ale-py==$ALE_VERSION" "gymnasium==1.2.2" "opencv-python-headless==4.13.0.92" "scikit-build-core==1.1.2"

# ale_sources: the sdist (pip prepares its metadata, hence scikit-build-core above) unpacked into the cache.
ale_sources() {
  local src="$CACHE/ale-$ALE_VERSION/src"
  [ -f "$src/.complete" ] && return 0
  local downloads="$CACHE/ale-$ALE_VERSION/downloads"
  mkdir -p "$downloads"
  if ! tar -tzf "$downloads/ale_py-$ALE_VERSION.tar.gz" >/dev/null 2>&1; then
    info "ale: downloading the ale-py $ALE_VERSION sdist (ALE C++ source, 11.5 MB) into $downloads"
    run_logged ale "check PyPI is reachable, then re-run: bash scripts/setup.sh --only ale" \
      "$VPY" -m pip download --disable-pip-version-check --no-deps --no-binary :all: --no-build-isolation \
      "ale-py==$ALE_VERSION" -d "$downloads"
  fi
  rm -rf "$src" "$src.partial" && mkdir -p "$src.partial"
  run_logged ale "$ALE_FIX" tar -xzf "$downloads/ale_py-$ALE_VERSION.tar.gz" -C "$src.partial" --strip-components=1
  touch "$src.partial/.complete"
  mv "$src.partial" "$src"
}

# ale_library: libale.a. RelWithDebInfo, not Release: Release turns on LTO, which ties the objects to one g++.
ale_library() {
  local build="$CACHE/ale-$ALE_VERSION/build"
  [ -f "$build/src/ale/libale.a" ] && return 0
  info "ale: compiling the ALE core with cmake (about 25 s on 2 cores)"
  run_logged ale "install cmake, g++ and zlib (apt-get install -y cmake g++ zlib1g-dev), then re-run: bash scripts/setup.sh --only ale" \
    cmake -S "$CACHE/ale-$ALE_VERSION/src" -B "$build" -DBUILD_CPP_LIB=ON -DBUILD_PYTHON_LIB=OFF -DSDL_SUPPORT=OFF \
    -DBUILD_VECTOR_LIB=OFF -DBUILD_VECTOR_XLA_LIB=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo
  run_logged ale "$ALE_FIX" make -C "$build" -j"$(nproc)" ale-lib
}

# -O3 vectorizes the frame loops; -ffp-contract=off keeps the resize's float rounding identical to OpenCV's.
# The addon is rebuilt when its sources, the compiler flags below or Node's ABI change.
ALE_CXXFLAGS="-O3 -std=c++17 -fPIC -shared -s -ffp-contract=off -fexceptions -DNAPI_VERSION=8 -DNAPI_CPP_EXCEPTIONS"
addon_sha="$( (cat native/ale/src/*; echo "$ALE_CXXFLAGS $ALE_VERSION $(node -p process.versions.modules)") | sha256sum | cut -c1-16)"
# One build at a time: two setups running at once would share the cache's build folder.
exec {ale_lock}>"$CACHE/ale-$ALE_VERSION.lock"
flock "$ale_lock"
if [ "$(cat "$STAMPS/ale" 2>/dev/null)" != "$addon_sha" ] || [ ! -f "$ALE_ADDON" ]; then
  ale_sources
  ale_library
  nodedir="$(dirname "$(dirname "$(command -v node)")")/include/node"
  [ -f "$nodedir/node_api.h" ] \
    || die ale "Node headers not found at $nodedir" "install the Node.js development headers (Debian: apt-get install -y libnode-dev) and re-run"
  info "ale: compiling the addon $ALE_ADDON"
  mkdir -p "$(dirname "$ALE_ADDON")"
  # shellcheck disable=SC2086 # ALE_CXXFLAGS is a list of flags
  run_logged ale "read the compiler errors above (sources in native/ale/src)" \
    g++ $ALE_CXXFLAGS -I"$nodedir" -Inode_modules/node-addon-api -I"$CACHE/ale-$ALE_VERSION/src/src" \
    -I"$CACHE/ale-$ALE_VERSION/build/src/ale" native/ale/src/addon.cpp native/ale/src/emulator.cpp \
    "$CACHE/ale-$ALE_VERSION/build/src/ale/libale.a" -lz -pthread -o "$ALE_ADDON.tmp"
  mv "$ALE_ADDON.tmp" "$ALE_ADDON"
  echo "$addon_sha" > "$STAMPS/ale"
fi
node -e "require('./$ALE_ADDON')" 2>/dev/null || die ale "$ALE_ADDON does not load" "delete $ALE_ADDON and re-run: bash scripts/setup.sh --only ale"

# ROMs: straight out of the wheel (a zip), so nothing at run time needs Python.
if [ ! -f "$ALE_ROMS/.complete" ]; then
  wheels="$CACHE/ale-$ALE_VERSION/downloads"
  mkdir -p "$wheels"
  wheel="$(ls "$wheels"/ale_py-"$ALE_VERSION"-cp311-*.whl 2>/dev/null | head -1 || true)"
  if [ -z "$wheel" ] || ! unzip -tq "$wheel" >/dev/null 2>&1; then
    run_logged ale "check PyPI is reachable, then re-run: bash scripts/setup.sh --only ale" \
      "$VPY" -m pip download --disable-pip-version-check --no-deps --only-binary=:all: --python-version 3.11 \
      --platform manylinux_2_28_x86_64 "ale-py==$ALE_VERSION" -d "$wheels"
    wheel="$(ls "$wheels"/ale_py-"$ALE_VERSION"-cp311-*.whl | head -1)"
  fi
  rm -rf "$ALE_ROMS" "$ALE_ROMS.partial" && mkdir -p "$ALE_ROMS.partial"
  run_logged ale "$ALE_FIX" unzip -q -j "$wheel" 'ale_py/roms/*.bin' -d "$ALE_ROMS.partial"
  touch "$ALE_ROMS.partial/.complete"
  mv "$ALE_ROMS.partial" "$ALE_ROMS"
fi
exec {ale_lock}>&-
ok ale "ALE $ALE_VERSION addon built, $(ls "$ALE_ROMS"/*.bin | wc -l) ROMs in $ALE_ROMS"
