// Preloaded by scripts that import route handlers outside Next: "server-only" throws unless bundled for the server,
// so resolve it to its empty variant (as vitest.config.ts's alias does for the tests). tsx compiles to CommonJS, so
// the hook goes on the CommonJS resolver.
import Module from "node:module";
import path from "node:path";

const empty = path.join(import.meta.dirname, "..", "node_modules", "server-only", "empty.js");
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === "server-only" ? empty : resolve.call(this, request, ...rest);
};
