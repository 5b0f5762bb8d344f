// Writes the part of an OpenAPI document that some paths need: those paths and every
// component they reach through $ref, as JSON. Prism takes minutes (more than bench/run
// waits) to load the whole 1.6 MB MoySklad bundle, and seconds for the product paths.
//
//   node bench/peers/trim-openapi.js BUNDLE.yaml OUT.json PATH...
const fs = require("fs");
const yaml = require("js-yaml");

const [bundle, out, ...keep] = process.argv.slice(2);
const spec = yaml.load(fs.readFileSync(bundle, "utf8"));

function* refsIn(node) {
  if (Array.isArray(node)) {
    for (const item of node) yield* refsIn(item);
  } else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string" && value.startsWith("#/components/")) {
        yield value;
      } else {
        yield* refsIn(value);
      }
    }
  }
}

const paths = Object.fromEntries(keep.map((path) => [path, spec.paths[path]]));
const components = { securitySchemes: (spec.components || {}).securitySchemes || {} };
const seen = new Set();
const todo = [paths];
while (todo.length > 0) {
  for (const ref of refsIn(todo.pop())) {
    if (seen.has(ref)) continue;
    seen.add(ref);
    const [section, name] = ref.slice("#/components/".length).split("/");
    const target = spec.components[section][name];
    (components[section] = components[section] || {})[name] = target;
    todo.push(target);
  }
}
fs.writeFileSync(out, JSON.stringify({ ...spec, paths, components }));
