#!/usr/bin/env bash
# Installs the Debian 12 packages twbench needs, and only those that are missing: running it
# twice installs nothing the second time, and it never asks a question.
#   scripts/deps.sh build   what building and running twbench needs
#   scripts/deps.sh test    that, plus what the test suite and benchmarks need
#   scripts/deps.sh fuzz    build's, plus clang and libFuzzer for the fuzz targets (scripts/fuzz)
set -euo pipefail

build_packages=(
    cmake ninja-build g++ ccache pkg-config
    qt6-base-dev qt6-base-dev-tools qt6-charts-dev libqt6opengl6-dev qt6-svg-dev
    qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n libqt6sql6-sqlite
    libssh-dev libgraphviz-dev qtkeychain-qt6-dev libsecret-1-0
    fonts-noto-cjk fonts-dejavu-core
    iproute2 procps
)
test_packages=(
    libgtest-dev libgmock-dev libbenchmark-dev zlib1g-dev
    net-tools dash busybox devscripts strace openssh-server openssh-client passwd nginx-light
    xvfb xauth poppler-utils
    dbus-daemon gnome-keyring
)
# libFuzzer ships in clang's runtime libraries, which Debian packages apart from clang.
fuzz_packages=(clang libclang-rt-14-dev)

packages=("${build_packages[@]}")
case "${1:-build}" in
    build) ;;
    test) packages+=("${test_packages[@]}") ;;
    fuzz) packages+=("${fuzz_packages[@]}") ;;
    *) echo "usage: scripts/deps.sh [build|test|fuzz]" >&2; exit 2 ;;
esac

missing=()
for package in "${packages[@]}"; do
    # dpkg-query answers "install ok installed" only for a fully installed package.
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "twbench: installing missing Debian packages: ${missing[*]}"
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "twbench: need root or sudo to install packages" >&2; exit 1; }
    sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
"${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}"
