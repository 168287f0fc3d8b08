#!/usr/bin/env bash
# Install the third-party clients of tests/test_clients.py (run by `make clients`, which `make test` runs).
#   Debian 12 packages: R with readr, LibreOffice Calc (headless), Node.js with npm (only those missing);
#   .venv-clients      polars, csvkit, datasette   from tests/clients/requirements-clients.lock
#   .venv-datapackage  Python datapackage, tableschema (old pins)   from tests/clients/requirements-datapackage.lock
#   tests/clients/js/node_modules   JS datapackage   by npm ci from tests/clients/js/package-lock.json
#   tests/a11y/node_modules   axe-core (accessibility engine of tests/test_accessibility.py)   by npm ci from its lock
# Each step is skipped when already done (quick on a second run). A step that fails does not stop
# `make test`: its output stays in build/clients/<client>.log and that client's test fails with it.
set -u
cd "$(dirname "$0")/../.."
PYTHON_SYS=${PYTHON_SYS:-python3}
LOGS=build/clients
mkdir -p "$LOGS"
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)

step() {  # step NAME COMMAND...: run, logging to build/clients/NAME.log; report failure, go on
    local name=$1; shift
    if "$@" >"$LOGS/$name.log" 2>&1; then return 0; fi
    echo "make clients: $name could not be installed (see $LOGS/$name.log); its test will fail" >&2
    return 1
}

debian() {
    local missing=()
    { command -v Rscript && Rscript -e 'library(readr)'; } >/dev/null 2>&1 || missing+=(r-base-core r-cran-readr)
    command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-calc-nogui)
    command -v node >/dev/null 2>&1 || missing+=(nodejs)
    command -v npm >/dev/null 2>&1 || missing+=(npm)
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "installing ${missing[*]}"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

venv() {  # venv DIR LOCK
    [ "$1/.installed" -nt "$2" ] && return 0
    rm -rf "$1" && "$PYTHON_SYS" -m venv "$1" && "$1/bin/pip" install --quiet --disable-pip-version-check -r "$2" && touch "$1/.installed"
}

npm_ci() {  # npm_ci [DIR]: npm ci from DIR's package-lock.json, once per lock file
    local dir=${1:-tests/clients/js}
    [ "$dir/node_modules/.installed" -nt "$dir/package-lock.json" ] && return 0
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) && touch "$dir/node_modules/.installed"
}

# The log names are the ones tests/test_clients.py reads.
if step debian debian; then :; else
    for c in r-readr libreoffice datapackage-js; do cp "$LOGS/debian.log" "$LOGS/$c.log"; done
fi
# The three are independent and mostly wait on downloads and disk: run them side by side.
step python-clients venv .venv-clients tests/clients/requirements-clients.lock &
step datapackage-py venv .venv-datapackage tests/clients/requirements-datapackage.lock &
step datapackage-js npm_ci &
# axe-core for tests/test_accessibility.py (MPL-2.0, pinned in tests/a11y/package-lock.json; used by the tests only).
step axe-core npm_ci tests/a11y &
wait
exit 0
