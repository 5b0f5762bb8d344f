# Shared by scripts/lib/pg.sh, scripts/test and bench/run (source it): installing Debian's
# packages, as root or through sudo.

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# apt_install PACKAGE...: installs the packages, reading the package lists first (a fresh
# machine has none), once per shell.
apt_install() {
    if [ -z "${TWIN_APT_UPDATED:-}" ]; then
        as_root apt-get update -qq
        TWIN_APT_UPDATED=1
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
