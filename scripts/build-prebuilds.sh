#!/usr/bin/env bash
# Builds the prebuilt addons the npm package ships (docs/PACKAGING.md):
#   prebuilds/linux-x64/cntop.glibc.node     with the host's g++
#   prebuilds/linux-arm64/cntop.glibc.node   cross-built with Debian's g++-aarch64-linux-gnu
# Both are N-API (NAPI_VERSION in binding.gyp), so one file serves every Node from 20 on.
# prebuildify compiles in its working directory's build/, which in a clone is the addon the tests and
# `npm start` load: it runs in a scratch copy instead, so build/Release keeps the host's own build.
# Installs the cross compiler from Debian when missing (root with apt-get).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

ensure_debian_package() { # command package
  command -v "$1" >/dev/null 2>&1 && return 0
  [[ $(id -u) -eq 0 ]] || { echo "build-prebuilds: $1 missing; install Debian's $2" >&2; exit 1; }
  echo "build-prebuilds: installing $2 from Debian" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$2" >&2 ||
    { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$2" >&2; }
}
ensure_debian_package aarch64-linux-gnu-g++ g++-aarch64-linux-gnu

# Debian's node ships its headers under /usr and says so in npm's config (nodedir=/usr); node-gyp run
# outside npm would try to download them instead.
if [[ -z "${npm_config_nodedir:-}" ]]; then
  nodedir=$(npm config get nodedir 2>/dev/null || true)
  [[ -n "$nodedir" && "$nodedir" != undefined && "$nodedir" != null ]] && export npm_config_nodedir=$nodedir
fi

cp -r "$root/binding.gyp" "$root/addon" "$root/package.json" "$scratch/"
ln -s "$root/node_modules" "$scratch/node_modules"
rm -rf "$root/prebuilds"
prebuildify=("$root/node_modules/.bin/prebuildify" --napi --strip --tag-libc --out "$root")

echo "build-prebuilds: linux-x64 (host g++)"
(cd "$scratch" && "${prebuildify[@]}" --arch x64)

echo "build-prebuilds: linux-arm64 (aarch64-linux-gnu-g++)"
rm -rf "$scratch/build"
(cd "$scratch" &&
  CC=aarch64-linux-gnu-gcc CXX=aarch64-linux-gnu-g++ LINK=aarch64-linux-gnu-g++ AR=aarch64-linux-gnu-ar \
    PREBUILD_STRIP_BIN=aarch64-linux-gnu-strip "${prebuildify[@]}" --arch arm64)

# Refuse to ship a file built for the wrong CPU (a cross compiler silently not used, say).
check_machine() { # file expected-machine-word
  local what
  what=$(od -An -tx1 -j18 -N2 "$1" | tr -d ' \n')
  [[ "$what" == "$2" ]] || { echo "build-prebuilds: $1 has ELF machine $what, expected $2" >&2; exit 1; }
}
check_machine "$root/prebuilds/linux-x64/cntop.glibc.node" 3e00   # EM_X86_64, little-endian
check_machine "$root/prebuilds/linux-arm64/cntop.glibc.node" b700 # EM_AARCH64
ls -l "$root"/prebuilds/*/
