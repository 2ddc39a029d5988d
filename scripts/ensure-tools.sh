#!/usr/bin/env bash
# Installs the system tools the tests need when they are missing: a real Prometheus (and promtool),
# a real Alertmanager, Chromium (the report tests open the HTML reports in it) and systemd-analyze
# (which checks deploy/systemd), from Debian's packages. Idempotent; quick when everything is present.
set -euo pipefail

missing=()
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
# The tests run `prometheus-alertmanager` (Debian's name); an `alertmanager` binary alone is not enough.
command -v prometheus-alertmanager >/dev/null 2>&1 || missing+=(prometheus-alertmanager)
# playwright-core drives Debian's browser at this path; no browser is downloaded.
[ -x /usr/bin/chromium ] || missing+=(chromium)
# Debian's systemd package carries systemd-analyze; installing it in a container starts nothing.
command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
[ ${#missing[@]} -eq 0 ] && exit 0

mapfile -t pkgs < <(printf '%s\n' "${missing[@]}" | sort -u)
echo "installing ${pkgs[*]} from Debian's packages" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
# The Debian packages start their services on install where an init system runs; policy-rc.d stops that.
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get -o DPkg::Lock::Timeout=300 update -qq
$sudo apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
command -v promtool >/dev/null && command -v prometheus >/dev/null && command -v prometheus-alertmanager >/dev/null && [ -x /usr/bin/chromium ] && command -v systemd-analyze >/dev/null
