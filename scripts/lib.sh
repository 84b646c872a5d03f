# Shared helpers for scripts/*: sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
THIRD="$ROOT/third_party"          # git-ignored: everything fetched at build time lives here
IMGUI_VERSION="1.90.1+ds-1"
UTF8PROC_VERSION="2.8.0-1"   # bookworm: the same version as the native libutf8proc
LZ4_VERSION="1.9.4-1"        # bookworm: the stored chunks' codec (lib/lz4.c, built into both builds)
ZSTD_VERSION="1.5.4+dfsg2-5" # bookworm: only bench/codec-probe measures it against lz4 (fetch_zstd)
export NODE_PATH=/usr/share/nodejs
export DEBIAN_FRONTEND=noninteractive

log() { printf '\033[1;34m[roster]\033[0m %s\n' "$*" >&2; }

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

APT_UPDATED=0
apt_install() {
  # Installs the Debian packages given that are not installed yet.
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing: ${missing[*]}"
  if [ "$APT_UPDATED" = 0 ]; then $SUDO apt-get update -qq; APT_UPDATED=1; fi
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Source packages (Dear ImGui exists in Debian only as source; utf8proc's source is built into the
# WASM module): fetched with apt through a private sources list, never the system's.
fetch_source_package() {   # $1 = package, $2 = version, $3 = destination, $4 = a file that proves it is there, $5 = suite
  local pkg="$1" ver="$2" dest="$3" marker="$4" suite="${5:-trixie}"
  [ -f "$dest/$marker" ] && return 0
  apt_install dpkg-dev ca-certificates
  local work="$THIRD/apt-$suite"
  mkdir -p "$work/lists/partial" "$work/src"
  echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $suite main" > "$work/sources.list"
  local aptopts=(-o Dir::Etc::SourceList="$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
                 -o Dir::State::Lists="$work/lists" -o APT::Sandbox::User=root)
  log "fetching the $pkg $ver source package"
  apt-get "${aptopts[@]}" update -qq
  (cd "$work/src" && apt-get "${aptopts[@]}" source --download-only "$pkg=$ver" >/dev/null)
  local tarball
  tarball=$(ls "$work/src"/"${pkg}"_*.orig.tar.* | head -n1)
  rm -rf "$work/unpack" && mkdir -p "$work/unpack"
  tar -xf "$tarball" -C "$work/unpack"
  rm -rf "$dest" && mv "$work/unpack"/* "$dest"
  [ -f "$dest/$marker" ] || { log "$pkg unpack failed"; exit 1; }
}

fetch_imgui() { fetch_source_package imgui "$IMGUI_VERSION" "$THIRD/imgui" imgui.h; }
fetch_utf8proc() { fetch_source_package utf8proc "$UTF8PROC_VERSION" "$THIRD/utf8proc" utf8proc.c bookworm; }
fetch_lz4() { fetch_source_package lz4 "$LZ4_VERSION" "$THIRD/lz4" lib/lz4.c bookworm; }
# Not part of the build: bench/codec-probe compares zstd with lz4 when third_party/zstd exists.
fetch_zstd() { fetch_source_package libzstd "$ZSTD_VERSION" "$THIRD/zstd" lib/zstd.h bookworm; }

ensure_build_deps() {
  apt_install build-essential cmake emscripten nlohmann-json3-dev catch2 fonts-dejavu-core git
  fetch_imgui
  fetch_utf8proc
  fetch_lz4
}

# Node.js: this machine image ships node and npm (not from Debian); only install Debian's when absent.
ensure_node() {
  command -v node >/dev/null 2>&1 || apt_install nodejs
  command -v npm >/dev/null 2>&1 || apt_install npm
}

# The npm packages of package-lock.json: playwright-core (tests) and fflate (copied into the site,
# which zips and unzips files in the page). `npm ci` when either is missing (a clean clone, or a
# node_modules from before a package was added).
ensure_npm_packages() {
  ensure_node
  if [ ! -d "$ROOT/node_modules/playwright-core" ] || [ ! -f "$ROOT/node_modules/fflate/umd/index.js" ]; then
    log "installing npm packages from package-lock.json"
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

ensure_test_deps() {
  ensure_build_deps
  apt_install chromium clang libclang-rt-14-dev
  ensure_npm_packages
}
