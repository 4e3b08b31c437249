#!/usr/bin/env bash
# Copies the CRD that fabric8's crd-generator wrote at build time (from src/main/java/io/pgha/api/v1)
# into crd/ and the Helm chart, where it is committed. CrdUpToDateTest fails when they drift apart:
# run `mvn -B process-classes && scripts/sync-crd.sh` after changing the API types.
set -euo pipefail
cd "$(dirname "$0")/.."
generated=target/classes/META-INF/fabric8/postgresclusters.pgha.io-v1.yml
if [[ ! -f $generated ]]; then
    echo "no generated CRD at $generated: run 'mvn -B process-classes' first" >&2
    exit 1
fi
mkdir -p crd helm/pgha-operator/crds
cp "$generated" crd/postgresclusters.pgha.io-v1.yml
cp "$generated" helm/pgha-operator/crds/postgresclusters.pgha.io-v1.yml
echo "CRD copied to crd/ and helm/pgha-operator/crds/"
