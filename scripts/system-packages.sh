#!/usr/bin/env bash
# What `make test` needs from the system, besides Python >= 3.11, Node.js >= 20 with npm and make:
# the one list, checked here for `make system-packages` (which `make test` and .ci/run go through).
# `make run` needs neither Chromium nor poppler-utils nor the fonts (only Python's venv and Node.js).
#
#   scripts/system-packages.sh          nothing missing: say nothing, change nothing (no apt-get).
#                                       Packages missing, as root with apt-get: install them
#                                       (`apt-get update` once, then `apt-get install`). Otherwise:
#                                       say what is missing and the command that installs it, exit 1.
#   scripts/system-packages.sh check    only say what is missing (exit 1); never install.
#
# PYTHON: the interpreter the Makefile makes the virtualenv with (default python3).
# ARDOISE_PRETEND_MISSING="chromium poppler-utils": handle these packages as if they were missing,
# to try the messages (or, with a stand-in apt-get, the install) on a machine that has them.
set -euo pipefail

mode=${1:-install}
case $mode in
  install | check) ;;
  *)
    echo "usage: $0 [install|check]" >&2
    exit 2
    ;;
esac
PYTHON=${PYTHON:-python3}
MIN_NODE=20

packages=()  # Debian packages that are missing
reasons=()   # what each is for, in the same order
problems=()  # what apt-get cannot fix here

pretend_missing() { [[ " ${ARDOISE_PRETEND_MISSING:-} " == *" $1 "* ]]; }

probe() {  # probe PACKAGE REASON COMMAND...: PACKAGE is missing unless COMMAND succeeds
  local package=$1 reason=$2
  shift 2
  if pretend_missing "$package" || ! "$@" >/dev/null 2>&1; then
    packages+=("$package")
    reasons+=("$reason")
  fi
}

# shellcheck disable=SC2317  # called through probe's "$@"
commands() {  # true when every named command is an executable on PATH (as the tests look for it)
  local name path
  for name in "$@"; do
    path=$(command -v "$name") && [[ -x $path ]] || return 1
  done
}

# The browser tests (tests/e2e) drive Debian's Chromium at this path: Playwright cannot download
# its own browser here.
probe chromium "the browser tests (tests/e2e) drive /usr/bin/chromium" test -x /usr/bin/chromium
# The storage fault tests (tests/integration/test_storage_faults.py): a small ext4 file system of
# their own, files made immutable, PostgreSQL backups taken and restored.
probe e2fsprogs "mkfs.ext4 and chattr make the SQLite disk faults" commands mkfs.ext4 chattr
probe postgresql-client "pg_dump and pg_restore restore a PostgreSQL database in the fault tests" \
  commands pg_dump pg_restore
# The PDF export is rendered and read back in the tests.
probe poppler-utils "pdftoppm and pdftotext read the exported PDFs back" commands pdftoppm pdftotext
# The web client's font (DejaVu Sans) for Chromium's pages and the screenshots in test-artifacts/.
probe fonts-dejavu-core "DejaVu Sans, the font Chromium draws the pages with" \
  test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf

# The test wiki (tests/support/bazar.py) stores Bazar fields as a real YesWiki does: through
# the HTMLPurifier library, run by PHP, with the DOM extension that YesWiki requires (the purifier
# reads HTML with it when it is there, and reads some broken HTML differently without it).
probe php-cli "PHP runs the test wiki's storage step (tests/support/bazar_storage.php)" commands php
probe php-xml "PHP's DOM extension, which YesWiki has and HTMLPurifier then reads HTML with" \
  php -r 'exit(class_exists("DOMDocument") ? 0 : 1);'
probe php-htmlpurifier "HTMLPurifier, which YesWiki runs on every Bazar entry it stores" \
  test -f /usr/share/php/HTMLPurifier.auto.php

# Python: the Makefile makes its virtualenv with `$PYTHON -m venv`, which needs ensurepip; Debian
# ships it apart, as pythonX.Y-venv, for its own interpreters in /usr/bin.
if ! command -v "$PYTHON" >/dev/null 2>&1; then
  problems+=("Python >= 3.11 is needed: '$PYTHON' is not installed")
elif ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; then
  problems+=("Python >= 3.11 is needed: '$PYTHON' is $("$PYTHON" --version 2>&1)")
elif pretend_missing python3-venv || ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  interpreter=$(readlink -f "$(command -v "$PYTHON")")
  version=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  if [[ $interpreter == /usr/bin/python* ]]; then
    packages+=("python$version-venv")
    reasons+=("for '$PYTHON -m venv', which makes the virtualenv .venv")
  else
    problems+=("'$PYTHON' ($interpreter) cannot make a virtualenv (no venv or ensurepip module)")
  fi
fi

# Node.js: not from apt here, since Debian 12's own nodejs is 18.
node_help="install Node.js >= $MIN_NODE with npm from https://nodejs.org/en/download (or NodeSource's packages); Debian 12's nodejs is 18"
if pretend_missing nodejs || ! command -v node >/dev/null 2>&1; then
  problems+=("Node.js is not installed: $node_help")
else
  node_version=$(node --version 2>/dev/null || echo unknown)
  node_major=${node_version#v}
  node_major=${node_major%%.*}
  if ! [[ $node_major =~ ^[0-9]+$ ]] || ((node_major < MIN_NODE)); then
    problems+=("Node.js >= $MIN_NODE is needed, found $node_version: $node_help")
  elif ! command -v npm >/dev/null 2>&1; then
    problems+=("npm is not installed (it comes with Node.js from nodejs.org or NodeSource; with Debian's own nodejs it is the package npm)")
  fi
fi

if ((${#packages[@]} == 0 && ${#problems[@]} == 0)); then
  exit 0
fi

if ((${#packages[@]} > 0 && ${#problems[@]} == 0)) && [[ $mode == install ]] &&
  ((EUID == 0)) && command -v apt-get >/dev/null 2>&1; then
  echo "Installing the system packages the tests need: ${packages[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}"
  exit 0
fi

{
  echo
  if ((${#packages[@]} > 0)); then
    echo "make test needs these Debian packages, which are not installed:"
    for i in "${!packages[@]}"; do
      printf '  %-18s %s\n' "${packages[$i]}" "${reasons[$i]}"
    done
    if ! command -v apt-get >/dev/null 2>&1; then
      echo "This system has no apt-get: install its packages for the same programs (these names are Debian's)."
    elif ((EUID == 0)); then
      if ((${#problems[@]} > 0)); then
        echo "Install them with this command (make test installs them itself once the rest is fixed):"
      else
        echo "Install them with this command:"
      fi
      echo "  apt-get update && apt-get install ${packages[*]}"
    else
      echo "Install them with this command (or run make test as root, which does it):"
      echo "  sudo apt-get install ${packages[*]}"
    fi
  fi
  if ((${#problems[@]} > 0)); then
    ((${#packages[@]} == 0)) || echo
    echo "make test cannot go on without (apt-get does not install these here):"
    for problem in "${problems[@]}"; do
      echo "  - $problem"
    done
  fi
  echo
} >&2
exit 1
