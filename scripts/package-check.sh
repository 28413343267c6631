#!/usr/bin/env bash
# The package as a user gets it: build the sdist and the wheel, `twine check` them, install the wheel
# into a fresh venv (not the clone's), and run `feedbackloop --version` and the demo from an empty folder.
# Any failure stops the script with a line saying which step failed (CI runs this after the tests).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/feedbackloop-package.XXXXXX")
STEP="start"
trap 'status=$?; if [ $status -ne 0 ]; then echo "PACKAGE CHECK FAILED at step: $STEP (exit $status); files in $WORK" >&2; else rm -rf "$WORK"; fi' EXIT
step() { STEP="$1"; echo "== package: $1 =="; }

step "read the version"
VERSION=$("$PY" -c 'import re,sys; print(re.search(r"__version__ = \"([^\"]+)\"", open("src/feedbackloop/__init__.py").read()).group(1))')

step "tools (build, twine) in their own venv"
"$PY" -m venv "$WORK/tools"
"$WORK/tools/bin/python" -m pip install --quiet build twine

step "build the sdist and the wheel"
"$WORK/tools/bin/python" -m build --outdir "$WORK/dist" . >"$WORK/build.log" 2>&1 || { tail -40 "$WORK/build.log" >&2; exit 1; }
if grep -i "SetuptoolsDeprecationWarning\|license.*deprecated" "$WORK/build.log" >&2; then
  echo "the build warns (above): fix pyproject.toml" >&2; exit 1
fi
ls "$WORK/dist"
test -f "$WORK/dist/helpdesk_feedbackloop-$VERSION.tar.gz"
test -f "$WORK/dist/helpdesk_feedbackloop-$VERSION-py3-none-any.whl"

step "twine check --strict"
"$WORK/tools/bin/twine" check --strict "$WORK"/dist/*

step "install the wheel into a fresh venv"
"$PY" -m venv "$WORK/app"
"$WORK/app/bin/python" -m pip install --quiet "$WORK/dist/helpdesk_feedbackloop-$VERSION-py3-none-any.whl"

mkdir "$WORK/empty" && cd "$WORK/empty"  # nothing of the clone on the path: the installed copy runs

step "feedbackloop --version"
got=$(env -u FEEDBACKLOOP_DATABASE_URL "$WORK/app/bin/feedbackloop" --version)
echo "$got"
[ "$got" = "feedbackloop, version $VERSION" ] || { echo "expected 'feedbackloop, version $VERSION'" >&2; exit 1; }

step "feedbackloop config example (the shipped config.example.env)"
"$WORK/app/bin/feedbackloop" config example >example.env
grep -q '^ZENDESK_SUBDOMAIN=' example.env

step "feedbackloop demo --once from the installed wheel"
env -u FEEDBACKLOOP_DATABASE_URL "$WORK/app/bin/feedbackloop" demo --once --tickets 20 --port 0 2>&1 | tee demo.log
grep -Eq '^surveys sent +[1-9]' demo.log || { echo "the demo sent no survey" >&2; exit 1; }
grep -Eq '^ratings +[1-9]' demo.log || { echo "the demo recorded no rating" >&2; exit 1; }
if grep -q 'Traceback' demo.log; then echo "the demo printed a traceback" >&2; exit 1; fi

STEP="done"
echo "== package: OK (helpdesk-feedbackloop $VERSION: sdist + wheel built, twine check passed, wheel runs) =="
