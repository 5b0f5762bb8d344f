// Writes the part of an OpenAPI document that some paths need: those paths and every
// component they reach through $ref, as JSON. Prism takes minutes (more than bench/run
// waits) to load the whole 1.6 MB MoySklad bundle, and seconds for the product paths.
// `PATH=FILE` keeps PATH and gives its GET's 200 answer the example in FILE (JSON): the
// bundle has no examples, and Prism cannot generate one from the product schema (it
// answers 500 SCHEMA_TOO_COMPLEX), so a comparable mock needs them, as its users add.
//
//   node bench/peers/trim-openapi.js BUNDLE.yaml OUT.json PATH[=EXAMPLE.json]...
const fs = require("fs");
const yaml = require("js-yaml");

const [bundle, out, ...wanted] = process.argv.slice(2);
const spec = yaml.load(fs.readFileSync(bundle, "utf8"));
const keep = wanted.map((arg) => arg.split("=")[0]);

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
for (const arg of wanted) {
  const [path, file] = arg.split("=");
  if (!file) continue;
  const example = JSON.parse(fs.readFileSync(file, "utf8"));
  for (const content of Object.values(paths[path].get.responses["200"].content)) {
    content.example = example;
  }
}
fs.writeFileSync(out, JSON.stringify({ ...spec, paths, components }));
