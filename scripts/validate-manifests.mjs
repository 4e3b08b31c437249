// Validates Kubernetes manifests (multi-document YAML files given as arguments) against Kubernetes' own
// OpenAPI schemas, offline, with the npm package kubernetes-models. Custom resources (pgha.io) are skipped:
// they are validated against the CRD by ExamplesValidateTest. Exit code 1 if any object is invalid.
import fs from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire(process.env.PGHA_NODE_MODULES + '/');
const yaml = require('js-yaml');

const groupPath = (apiVersion) => {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return group === '' ? `kubernetes-models/${version}` : `kubernetes-models/${group}/${version}`;
};

let failures = 0;
let checked = 0;
for (const file of process.argv.slice(2)) {
  for (const doc of yaml.loadAll(fs.readFileSync(file, 'utf8'))) {
    if (!doc || !doc.kind) continue;
    if (doc.apiVersion.startsWith('pgha.io/')) continue;
    const where = `${file}: ${doc.kind} ${doc.metadata?.name}`;
    try {
      const Kind = require(groupPath(doc.apiVersion))[doc.kind];
      if (!Kind) throw new Error(`unknown kind ${doc.apiVersion} ${doc.kind}`);
      new Kind(doc).validate();
      checked++;
    } catch (e) {
      failures++;
      console.error(`INVALID ${where}: ${e.message}`);
    }
  }
}
console.log(`${checked} objects valid, ${failures} invalid`);
process.exit(failures ? 1 : 0);
