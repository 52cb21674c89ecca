#!/usr/bin/env bash
# Would a profile-guided build of the ALE core make our Atari steps faster? Builds libale + the addon with
# -fprofile-generate in WORK, plays bench/envs/ale-pgo-workload.ts (all ten paper games) with it, rebuilds
# with -fprofile-use, then runs bench/envs/atari.ts ROUNDS times with each addon, alternating (the shipped
# addon is swapped in and out of native/ale/build/ and always put back). Needs `bash scripts/setup.sh` first.
#   bash bench/envs/ale-pgo.sh [ROUNDS, default 2]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS="${1:-2}"
ALE_VERSION=0.12.1
SRC="$HOME/.cache/distill-lab/ale-$ALE_VERSION/src"
WORK="${WORK:-/tmp/ale-pgo}"
ADDON=native/ale/build/ale.node
[ -f "$SRC/.complete" ] && [ -f "$ADDON" ] || { echo "build the ALE addon first: bash scripts/setup.sh --only ale" >&2; exit 1; }
NODE_INCLUDE="$(dirname "$(dirname "$(command -v node)")")/include/node"
rm -rf "$WORK" && mkdir -p "$WORK"
cp "$ADDON" "$WORK/shipped.node"
trap 'cp "$WORK/shipped.node" "$ADDON"' EXIT

# The same cmake configuration and addon flags as scripts/setup.d/60-ale.sh, plus the profile flags.
build() { # build FLAGS OUTPUT
  cmake -S "$SRC" -B "$WORK/build" -DBUILD_CPP_LIB=ON -DBUILD_PYTHON_LIB=OFF -DSDL_SUPPORT=OFF -DBUILD_VECTOR_LIB=OFF \
    -DBUILD_VECTOR_XLA_LIB=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS="$1" >"$WORK/cmake.log"
  make -C "$WORK/build" clean >/dev/null
  make -C "$WORK/build" -j"$(nproc)" ale-lib >"$WORK/make.log" 2>&1
  # shellcheck disable=SC2086 # $1 is a list of flags
  g++ -O3 -std=c++17 -fPIC -shared -ffp-contract=off -fexceptions -DNAPI_VERSION=8 -DNAPI_CPP_EXCEPTIONS $1 \
    -I"$NODE_INCLUDE" -Inode_modules/node-addon-api -I"$SRC/src" -I"$WORK/build/src/ale" \
    native/ale/src/addon.cpp native/ale/src/emulator.cpp "$WORK/build/src/ale/libale.a" -lz -pthread -o "$2"
}
echo "building with -fprofile-generate"
build "-fprofile-generate=$WORK/profile -fprofile-update=atomic" "$WORK/generate.node"
cp "$WORK/generate.node" "$ADDON"
echo "training run: the ten paper games"
npx tsx bench/envs/ale-pgo-workload.ts
echo "building with -fprofile-use"
build "-fprofile-use=$WORK/profile -fprofile-partial-training -Wno-missing-profile" "$WORK/pgo.node"
for round in $(seq "$ROUNDS"); do
  for variant in shipped pgo; do
    echo "round $round, $variant addon"
    cp "$WORK/$variant.node" "$ADDON"
    npx tsx bench/envs/atari.ts | tail -3
  done
done
