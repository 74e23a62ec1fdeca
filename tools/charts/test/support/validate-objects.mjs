// Validates Kubernetes objects against the API schemas of the kubernetes-models packages.
// Those packages are ES modules only and jest runs CommonJS, so kube-schema.ts runs this file
// with plain node: objects as a JSON array on stdin, one result per object as JSON on stdout.
// An object of a kind no package knows is an error, never skipped.
const PACKAGES = ['kubernetes-models', '@kubernetes-models/prometheus-operator', '@kubernetes-models/cert-manager'];

async function modelFor(apiVersion, kind) {
  for (const pkg of PACKAGES) {
    try {
      const mod = await import(`${pkg}/${apiVersion}/${kind}`);
      if (typeof mod[kind] === 'function') return mod[kind];
    } catch (err) {
      if (err?.code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED' && err?.code !== 'ERR_MODULE_NOT_FOUND') throw err;
    }
  }
  return undefined;
}

let input = '';
for await (const chunk of process.stdin) input += chunk;
const objects = JSON.parse(input);
const results = [];
for (const object of objects) {
  const Model = await modelFor(object.apiVersion, object.kind);
  if (!Model) {
    results.push({ ok: false, error: `no schema for ${object.apiVersion} ${object.kind} in ${PACKAGES.join(', ')}` });
    continue;
  }
  try {
    new Model(object).validate();
    results.push({ ok: true });
  } catch (err) {
    results.push({ ok: false, error: err instanceof Error ? err.message : String(err) });
  }
}
process.stdout.write(JSON.stringify(results));
