#!/usr/bin/env bash
# Provisions the real FTP(S) servers the test rig (test/servers/) starts: vsftpd from apt,
# ProFTPD and pure-ftpd unpacked into .cache/servers/root (they conflict with vsftpd in apt, since
# all three provide ftp-server), plus the ferrytest account and its PAM service.
#
# Idempotent and quick when everything is already in place. Run as root (npm run provision).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="$REPO/.cache/servers"
DEBS="$CACHE/debs"
ROOT="$CACHE/root"
STAMP="$CACHE/stamp"

FTP_USER=ferrytest
# A throwaway password for a loopback-only test account whose shell is nologin. test/servers/servers.ts
# uses the same value.
FTP_PASSWORD=ferrytest-pw
PAM_SERVICE=ferry-vsftpd
USER_LIST=/etc/ferry-vsftpd.users

APT_PACKAGES=(vsftpd lftp curl openssl chromium xvfb xauth ca-certificates
  # ProFTPD's runtime libraries (apt-cache depends proftpd-core proftpd-mod-crypto pure-ftpd); the
  # rest of their dependencies are in every Debian base system.
  libhiredis0.14 libmemcached11 libmemcachedutil2 libpcre2-posix3 libsodium23 libcap2 libidn2-0
  libacl1 libncursesw6 libpam0g libcrypt1 libssl3 zlib1g)
# pure-ftpd-common only carries Debian's wrapper scripts; the binaries need nothing from it.
DOWNLOAD_PACKAGES=(proftpd-core proftpd-mod-crypto pure-ftpd)

log() { printf '[provision] %s\n' "$*"; }

if [ "$(id -u)" -ne 0 ]; then
  echo "[provision] must run as root (it installs packages and creates the $FTP_USER account)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive

APT_UPDATED=0
apt_update() {
  if [ "$APT_UPDATED" -eq 0 ]; then
    log "apt-get update"
    apt-get update -qq
    APT_UPDATED=1
  fi
}

# Package lists are needed only when something is missing; an empty list directory or a package
# without a candidate means they are absent or stale.
ensure_lists() {
  local pkg policy
  if ! ls /var/lib/apt/lists/*_Packages* >/dev/null 2>&1; then
    apt_update
    return
  fi
  for pkg in "$@"; do
    # Capture first: with pipefail, grep -q closing the pipe early would fail the pipeline.
    policy="$(apt-cache policy "$pkg" 2>/dev/null || true)"
    if ! printf '%s' "$policy" | grep -q 'Candidate: [0-9]'; then
      apt_update
      return
    fi
  done
}

# --- 1. apt packages -------------------------------------------------------------------------
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)" != "install ok installed" ]; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  ensure_lists "${missing[@]}"
  # Debian starts vsftpd on port 21 right after installing it. A policy-rc.d that answers 101
  # stops that (as in Docker images); only add one when none exists, and only for this install.
  policy_added=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    policy_added=1
  fi
  log "apt-get install ${missing[*]}"
  if ! apt-get install -y -qq "${missing[@]}"; then
    # Stale lists give 404s on a fresh machine: refresh once and retry.
    apt_update
    apt-get install -y -qq "${missing[@]}"
  fi
  if [ "$policy_added" -eq 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
else
  log "apt packages already installed"
fi

# --- 2. the system vsftpd service stays off -----------------------------------------------------
# The rig starts its own vsftpd per test on free ports; the packaged service would hold port 21.
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  if systemctl is-enabled --quiet vsftpd 2>/dev/null || systemctl is-active --quiet vsftpd 2>/dev/null; then
    log "disabling the vsftpd system service"
    systemctl disable --now vsftpd >/dev/null 2>&1 || true
  fi
else
  if command -v update-rc.d >/dev/null 2>&1 && ls /etc/rc2.d/S*vsftpd >/dev/null 2>&1; then
    log "disabling the vsftpd init script"
    update-rc.d vsftpd disable >/dev/null 2>&1 || true
  fi
fi
# Only the init script's own pid file identifies the packaged service: `service vsftpd status`
# would also report the rig's (and anyone's) vsftpd processes as the service.
if [ -s /var/run/vsftpd/vsftpd.pid ]; then
  log "stopping the vsftpd system service"
  service vsftpd stop >/dev/null 2>&1 || true
fi

# vsftpd's secure_chroot_dir (the rig's configs point here); /run may be a tmpfs, so
# test/servers/servers.ts recreates it too.
mkdir -p /var/run/vsftpd/empty
chmod 755 /var/run/vsftpd/empty

# --- 3. ProFTPD and pure-ftpd, unpacked ---------------------------------------------------------
unpacked_ok() {
  [ -x "$ROOT/usr/sbin/proftpd" ] && [ -f "$ROOT/usr/lib/proftpd/mod_tls.so" ] &&
    [ -x "$ROOT/usr/sbin/pure-ftpd" ] && [ -x "$ROOT/usr/bin/pure-pw" ] && [ -f "$STAMP" ]
}

if unpacked_ok; then
  log "ProFTPD and pure-ftpd already unpacked in .cache/servers/root ($(cat "$STAMP"))"
else
  have_debs=1
  for pkg in "${DOWNLOAD_PACKAGES[@]}"; do
    if ! ls "$DEBS/${pkg}_"*.deb >/dev/null 2>&1; then have_debs=0; fi
  done
  rm -rf "$ROOT"
  mkdir -p "$DEBS" "$ROOT"
  if [ "$have_debs" -eq 0 ]; then
    ensure_lists "${DOWNLOAD_PACKAGES[@]}"
    rm -f "$DEBS"/*.deb
    log "apt-get download ${DOWNLOAD_PACKAGES[*]}"
    # _apt cannot write into a root-owned folder; apt then downloads as root and warns about it.
    (cd "$DEBS" && apt-get download -qq "${DOWNLOAD_PACKAGES[@]}" 2>&1 | grep -v 'unsandboxed' || true)
  fi
  for deb in "$DEBS"/*.deb; do
    log "dpkg -x $(basename "$deb")"
    dpkg -x "$deb" "$ROOT"
  done
  for bin in usr/sbin/proftpd usr/sbin/pure-ftpd usr/bin/pure-pw usr/lib/proftpd/mod_tls.so; do
    if [ ! -e "$ROOT/$bin" ]; then
      echo "[provision] $bin missing after unpacking" >&2
      exit 1
    fi
  done
  (cd "$DEBS" && ls -1 ./*.deb | sed 's|^\./||; s|_[^_]*$||' | paste -sd' ') >"$STAMP"
fi

# Every shared library must resolve, or the servers die at start with a loader error.
for bin in "$ROOT/usr/sbin/proftpd" "$ROOT/usr/lib/proftpd/mod_tls.so" "$ROOT/usr/sbin/pure-ftpd" \
  "$ROOT/usr/bin/pure-pw" /usr/sbin/vsftpd; do
  if ldd "$bin" 2>/dev/null | grep 'not found' >/dev/null; then
    echo "[provision] unresolved libraries for $bin:" >&2
    ldd "$bin" | grep 'not found' >&2
    exit 1
  fi
done

# --- 4. the ferrytest account ------------------------------------------------------------------
# vsftpd authenticates local users through PAM, so it needs a real account. The account gets
# nologin as its shell (no interactive logins) and a PAM service of its own: Debian's
# /etc/pam.d/vsftpd requires a shell listed in /etc/shells (pam_shells), which nologin is not,
# and adding nologin there would open it to every other service. ProFTPD and pure-ftpd use virtual
# users mapped to this account's uid/gid, so files in the served folder have one owner.
if ! getent passwd "$FTP_USER" >/dev/null; then
  log "creating user $FTP_USER"
  useradd --create-home --home-dir "/home/$FTP_USER" --shell /usr/sbin/nologin \
    --comment "Ferry FTP test account" "$FTP_USER"
fi
# SHA-512 crypt so this check can recompute the hash with openssl (Debian defaults to yescrypt).
current_hash="$(getent shadow "$FTP_USER" | cut -d: -f2)"
if [ -z "$current_hash" ] || [ "$current_hash" = "!" ] || [ "$current_hash" = "*" ] ||
  [ "$(openssl passwd -6 -salt "$(printf '%s' "$current_hash" | cut -d'$' -f3)" "$FTP_PASSWORD" 2>/dev/null)" != "$current_hash" ]; then
  log "setting the $FTP_USER password"
  echo "$FTP_USER:$FTP_PASSWORD" | chpasswd --crypt-method SHA512
fi

if [ "$(cat "$USER_LIST" 2>/dev/null || true)" != "$FTP_USER" ]; then
  log "writing $USER_LIST"
  printf '%s\n' "$FTP_USER" >"$USER_LIST"
  chmod 644 "$USER_LIST"
fi

pam_file="/etc/pam.d/$PAM_SERVICE"
pam_content="# Ferry's FTP test rig (scripts/provision-servers.sh): vsftpd logins for $FTP_USER only.
auth     required pam_listfile.so item=user sense=allow file=$USER_LIST onerr=fail
auth     required pam_unix.so
account  required pam_unix.so
session  required pam_permit.so"
if [ "$(cat "$pam_file" 2>/dev/null || true)" != "$pam_content" ]; then
  log "writing $pam_file"
  printf '%s\n' "$pam_content" >"$pam_file"
  chmod 644 "$pam_file"
fi

log "done: vsftpd $(dpkg-query -W -f='${Version}' vsftpd), $(cat "$STAMP")"
