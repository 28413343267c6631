#!/usr/bin/env bash
# The ingest bench's tools: wrk (Debian's package) and the two C programs beside this file, built into
# bench/wrk/build/ (responder: the generator's ceiling; pace: the fixed-rate p99). Idempotent.
#   bash bench/wrk/setup.sh
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y -q wrk >/dev/null; else sudo apt-get install -y -q wrk >/dev/null; fi
fi
mkdir -p build
for tool in responder pace; do
  if [ ! -x "build/$tool" ] || [ "$tool.c" -nt "build/$tool" ]; then
    ${CC:-cc} -O2 -Wall -Wextra -o "build/$tool" "$tool.c"
  fi
done
