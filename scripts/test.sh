#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs zcgraph and its test tools, builds the
# in-process Neo4j 5.26 (Maven Central artifacts, no Docker), then runs pytest with Neo4j required.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: the compose client checks docker-compose.yml (no Docker engine is needed for
# `config`); headless Chromium opens the HTML lead list and LibreOffice the workbook in the export tests.
need=()
command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
[ -x /usr/bin/chromium ] || need+=(chromium)
# A Chinese font: the print tests read the leads back out of the PDFs Chromium and LibreOffice print, and
# without one every character prints as the same fallback glyph (a fresh machine has only DejaVu/Liberation).
[ -n "$(fc-list :lang=zh 2>/dev/null)" ] || need+=(fonts-noto-cjk)
if [ "${#need[@]}" -gt 0 ] && [ "$(id -u)" = 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq "${need[@]}" >/dev/null
fi
if ! command -v soffice >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then  # Calc alone, without its desktop
  export DEBIAN_FRONTEND=noninteractive
  [ "${#need[@]}" -gt 0 ] || apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null
fi
command -v java >/dev/null || { echo "Java 17 is required for the test Neo4j" >&2; exit 1; }
command -v mvn >/dev/null || { echo "Maven is required to build the test Neo4j" >&2; exit 1; }

python3 -m pip install --quiet --disable-pip-version-check -e ".[test]"
mvn -q -B -f tools/neo4j-launcher/pom.xml package -DskipTests

export ZCGRAPH_REQUIRE_NEO4J=1
[ -x /usr/bin/chromium ] && export ZCGRAPH_REQUIRE_BROWSER=1
command -v soffice >/dev/null 2>&1 && export ZCGRAPH_REQUIRE_OFFICE=1
command -v docker-compose >/dev/null 2>&1 && export ZCGRAPH_REQUIRE_COMPOSE=1
log=$(mktemp)
set +e
python3 -m pytest -q -rs "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
if grep -q "no Neo4j" "$log"; then
  echo "FAILED: Neo4j integration tests were skipped; the Cypher side went untested" >&2
  exit 1
fi
exit "$status"
