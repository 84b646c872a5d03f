# Shared helpers for scripts/*: sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
THIRD="$ROOT/third_party"          # git-ignored: everything fetched at build time lives here
IMGUI_VERSION="1.90.1+ds-1"
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

# Dear ImGui is only a source package in Debian: fetch it with apt through a private sources list.
fetch_imgui() {
  local dest="$THIRD/imgui"
  [ -f "$dest/imgui.h" ] && return 0
  apt_install dpkg-dev ca-certificates
  local work="$THIRD/apt"
  mkdir -p "$work/lists/partial" "$work/src"
  echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main" > "$work/sources.list"
  local aptopts=(-o Dir::Etc::SourceList="$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
                 -o Dir::State::Lists="$work/lists" -o APT::Sandbox::User=root)
  log "fetching imgui $IMGUI_VERSION source package"
  apt-get "${aptopts[@]}" update -qq
  (cd "$work/src" && apt-get "${aptopts[@]}" source --download-only "imgui=$IMGUI_VERSION" >/dev/null)
  local tarball
  tarball=$(ls "$work/src"/imgui_*.orig.tar.* | head -n1)
  rm -rf "$work/unpack" && mkdir -p "$work/unpack"
  tar -xf "$tarball" -C "$work/unpack"
  rm -rf "$dest" && mv "$work/unpack"/* "$dest"
  [ -f "$dest/imgui.h" ] || { log "imgui unpack failed"; exit 1; }
}

ensure_build_deps() {
  apt_install build-essential cmake emscripten nlohmann-json3-dev catch2 fonts-dejavu-core
  fetch_imgui
}

# Node.js: this machine image ships node and npm (not from Debian); only install Debian's when absent.
ensure_node() {
  command -v node >/dev/null 2>&1 || apt_install nodejs
  command -v npm >/dev/null 2>&1 || apt_install npm
}

ensure_test_deps() {
  ensure_build_deps
  apt_install chromium clang libclang-rt-14-dev
  ensure_node
  if [ ! -d "$ROOT/node_modules/playwright-core" ]; then
    log "installing npm packages from package-lock.json"
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
