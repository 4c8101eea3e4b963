// The layering of packages/troupe/src as a checked rule (`npm run layers`, part of `npm test`):
// which folder may import which. test/, bench/, examples/ and scripts/ are outside the rule.

const SRC = "^packages/troupe/src/";
const ENTRY = `${SRC}index\\.ts$`;

/**
 * Layers, lowest first: each imports only the layers before it, type-only imports included.
 * testing/ and cli/ share the top and do not import each other.
 */
const LAYERS = ["base", "protocol", "storage", "actor", "features", "host", "cluster", "server", "inspector", "telemetry", "runtime"];
const TOP = ["testing", "cli"];

/** Narrower than the order above: storage/ (interface and drivers) and protocol/ see only base/. */
const ONLY = { storage: ["base"], protocol: ["base"] };

/** The first layer that may import the browser client (at run time): the ones below it never do. */
const CLIENT_USERS_FROM = "runtime";

/**
 * Runtime- or library-specific modules, each imported only from its adapter folder (and from cli/
 * and testing/, which are Node-only), so that the core stays web-standard and driver-neutral.
 * Direct imports only: runtime/ still reaches them through the adapters it composes.
 */
const ADAPTERS = [
  { folder: "storage/sqlite", packages: ["better-sqlite3"] },
  { folder: "storage/postgres", packages: ["pg"] },
  { folder: "server/node", packages: ["ws", "@hono/node-server"], builtins: ["http", "https", "http2", "net", "tls"] },
  { folder: "react", packages: ["react"] },
  { folder: "telemetry", packages: ["prom-client"] },
];
const NODE_TOPS = ["cli", "testing"];

/**
 * Imports that break a rule today, each allowed by exact file pair until it is fixed. `from` and
 * `to` are paths under packages/troupe/src.
 */
const EXCEPTIONS = [
  // Lasting: the client's Node entry (troupe/client under the "node" condition) hands `ws` to the
  // browser-safe client as its WebSocket; it is the client's Node adapter.
  { rule: "adapter-only:ws", from: "client/node-websocket.ts", to: "node_modules/ws/" },
];

const TYPE_ONLY = ["type-only", "type-import"];
const escapeRegex = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
const folder = (name) => `${SRC}${name}/`;
/** An npm package (or its @types) whether it resolved into node_modules or not. */
const npm = (name) => `(^|/)node_modules/(@types/)?${escapeRegex(name)}/|^${escapeRegex(name)}(/|$)`;
const core = (name) => `^(node:)?${name}$`;

function layerRule(name, mayImport) {
  return {
    name: `layer:${name}`,
    comment:
      mayImport.length === 0 ? `${name}/ imports nothing of ours` : `${name}/ imports only ${mayImport.map((f) => `${f}/`).join(", ")}`,
    severity: "error",
    from: { path: folder(name) },
    to: { path: SRC, pathNot: [folder(name), ...mayImport.map(folder)] },
  };
}

function layerRules() {
  const rules = LAYERS.map((name, index) => {
    const below = ONLY[name] ?? LAYERS.slice(0, index);
    const client = index >= LAYERS.indexOf(CLIENT_USERS_FROM) ? ["client"] : [];
    return layerRule(name, [...below, ...client]);
  });
  for (const name of TOP) rules.push(layerRule(name, [...LAYERS, "client"]));
  return rules;
}

const clientRules = [
  {
    name: "client-runtime-imports",
    comment: "the browser client imports only client/, protocol/ and base/ at run time",
    severity: "error",
    from: { path: folder("client") },
    to: { path: SRC, pathNot: ["client", "protocol", "base"].map(folder), dependencyTypesNot: TYPE_ONLY },
  },
  {
    name: "client-type-imports",
    comment: "the client learns types from the definitions in actor/, features/ and runtime/, and from nothing else",
    severity: "error",
    from: { path: folder("client") },
    to: { path: SRC, pathNot: ["client", "protocol", "base", "actor", "features", "runtime"].map(folder) },
  },
];

/** troupe/react sits on the browser client alone, as an app's components would. */
const reactRules = [
  {
    name: "react-imports",
    comment: "react/ imports only client/, protocol/ and base/ (types included): it is as browser-safe as the client",
    severity: "error",
    from: { path: folder("react") },
    to: { path: SRC, pathNot: ["react", "client", "protocol", "base"].map(folder) },
  },
];

const folderRules = [
  {
    name: "no-cycles-across-folders",
    comment: "no circular imports that leave their folder, type-only imports included",
    severity: "error",
    from: { path: `${SRC}(.+)/[^/]+$` },
    to: { circular: true, via: { pathNot: `${SRC}$1/[^/]+$` } },
  },
  {
    name: "no-feature-cycles",
    comment: "features do not import each other in a circle, even through different modules",
    severity: "error",
    scope: "folder",
    from: { path: `${SRC}features/[^/]+` },
    to: { path: `${SRC}features/[^/]+`, circular: true },
  },
  {
    name: "storage-interface-is-types",
    comment:
      "above storage/, its interface (storage/*.ts) is imported for types only; drivers are handed in (the SQLite connection contract also defines the error classes a binding throws)",
    severity: "error",
    from: { path: SRC, pathNot: [folder("storage"), ENTRY] },
    to: { path: `${SRC}storage/[^/]+$`, pathNot: `${SRC}storage/sqlite-connection\\.ts$`, dependencyTypesNot: TYPE_ONLY },
  },
  {
    name: "storage-drivers-from-composition",
    comment: "a storage driver's folder is imported only by runtime/, testing/ and index.ts",
    severity: "error",
    from: { path: SRC, pathNot: [folder("runtime"), folder("testing"), ENTRY, `${SRC}storage/[^/]+/`] },
    to: { path: `${SRC}storage/[^/]+/` },
  },
  {
    name: "storage-drivers-apart",
    comment: "a storage driver does not import another driver",
    severity: "error",
    from: { path: `${SRC}storage/([^/]+)/` },
    to: { path: `${SRC}storage/[^/]+/`, pathNot: `${SRC}storage/$1/` },
  },
  {
    name: "server-core-not-to-node-adapter",
    comment: "server/ is web-standard; only its node/ adapter is Node-specific",
    severity: "error",
    from: { path: folder("server"), pathNot: folder("server/node") },
    to: { path: folder("server/node") },
  },
  {
    name: "features-through-key-or-plugin",
    comment: "a feature reaches another feature only through its key.ts or plugin.ts",
    severity: "error",
    from: { path: `${SRC}features/([^/]+)/` },
    to: { path: folder("features"), pathNot: [`${SRC}features/$1/`, `${SRC}features/[^/]+/(key|plugin)\\.ts$`] },
  },
];

function adapterRules() {
  const rules = [];
  for (const { folder: adapter, packages = [], builtins = [] } of ADAPTERS) {
    const targets = [...packages.map((name) => [name, npm(name)]), ...builtins.map((name) => [`node:${name}`, core(name)])];
    for (const [module, to] of targets) {
      rules.push({
        name: `adapter-only:${module}`,
        comment: `${module} is imported only from ${adapter}/ (and ${NODE_TOPS.map((f) => `${f}/`).join(", ")})`,
        severity: "error",
        from: { path: SRC, pathNot: [folder(adapter), ...NODE_TOPS.map(folder), ENTRY] },
        to: { path: to },
      });
    }
  }
  return rules;
}

/**
 * Allows each listed exception by its exact pair: the rule no longer applies to the exception's
 * file, and a copy of it applies there to every other target.
 */
function withExceptions(rules) {
  const unknown = EXCEPTIONS.filter((exception) => !rules.some((rule) => rule.name === exception.rule));
  if (unknown.length > 0) throw new Error(`exceptions name unknown rules: ${unknown.map((e) => e.rule).join(", ")}`);
  return rules.flatMap((rule) => {
    const exceptions = EXCEPTIONS.filter((exception) => exception.rule === rule.name);
    const files = [...new Set(exceptions.map((exception) => exception.from))];
    const fileRegex = (file) => `${SRC}${escapeRegex(file)}$`;
    // A target ending in "/" is a folder (a package's files), anything else one exact module.
    const targetRegex = (to) => `^(${SRC.slice(1)})?${escapeRegex(to)}${to.endsWith("/") ? "" : "$"}`;
    const asList = (value) => (value === undefined ? [] : [value].flat());
    const rest = { ...rule, from: { ...rule.from, pathNot: [...asList(rule.from.pathNot), ...files.map(fileRegex)] } };
    const perFile = files.map((file) => ({
      ...rule,
      // The lookahead keeps the rule's own path (and its capture groups) and narrows it to one file.
      from: { ...rule.from, path: `(?=${fileRegex(file)})${rule.from.path}` },
      to: {
        ...rule.to,
        pathNot: [
          ...asList(rule.to.pathNot),
          ...exceptions.filter((exception) => exception.from === file).map(({ to }) => targetRegex(to)),
        ],
      },
    }));
    return [rest, ...perFile];
  });
}

module.exports = {
  forbidden: withExceptions([...layerRules(), ...clientRules, ...reactRules, ...folderRules, ...adapterRules()]),
  options: {
    exclude: { path: "(^|/)(test|bench|examples|scripts)/" },
    doNotFollow: { path: "node_modules" },
    // Type-only imports count: a layer that names another's types depends on it.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js"], conditionNames: ["import", "node", "default", "types"] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
