// `npm test`: types, lint, format, unit + integration (PGlite, and PostgreSQL when TEST_DATABASE_URL is set),
// then browser tests against a production build. Ends with "N passed, N failed" over all suites.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const bin = (n) => path.join(root, "node_modules", ".bin", n);
const results = [];
fs.mkdirSync(path.join(root, "test-results"), { recursive: true });

function run(cmd, args, env = {}) {
  console.log(`\n$ ${[path.basename(cmd), ...args].join(" ")}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  return r.status === 0;
}

// Each suite's wall time runs from the previous record (or the start) to its own record.
let lastMark = Date.now();
const seconds = (ms) => `${Math.round(ms / 1000)} s`;

function record(suite, passed, failed, skipped = 0, names = []) {
  const now = Date.now();
  const ms = now - lastMark;
  lastMark = now;
  results.push({ suite, passed, failed, skipped, ms, names });
  console.log(`-- ${suite}: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""} in ${seconds(ms)}`);
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

function vitest(label, env) {
  const out = path.join(root, "test-results", `vitest-${label}.json`);
  fs.rmSync(out, { force: true });
  const ok = run(bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile=${out}`], env);
  const j = readJson(out);
  if (!j) return record(`unit+integration (${label})`, 0, 1);
  const files = j.testResults ?? [];
  // A file that failed with no failing test of its own (it did not load, or a hook failed and its tests were skipped).
  const broken = files.filter((f) => f.status === "failed" && !(f.assertionResults ?? []).some((a) => a.status === "failed"));
  // The names go into the summary, so a failure that scrolled past (or a flaky one) is still named at the end.
  const names = [
    ...broken.map(
      (f) =>
        `${path.relative(root, f.name)} (failed outside a test: ${String(f.message ?? "")
          .split("\n")[0]
          .slice(0, 200)})`,
    ),
    ...files.flatMap((f) => (f.assertionResults ?? []).filter((a) => a.status === "failed").map((a) => `${path.relative(root, f.name)} > ${a.fullName}`)),
  ];
  record(`unit+integration (${label})`, j.numPassedTests, names.length + (ok || names.length ? 0 : 1), j.numPendingTests + j.numTodoTests, names);
}

function findChromium() {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(Boolean);
  for (const c of candidates) if (fs.existsSync(c)) return c;
  const pwCache = path.join(process.env.HOME ?? "/root", ".cache", "ms-playwright");
  if (fs.existsSync(pwCache)) {
    for (const d of fs
      .readdirSync(pwCache)
      .filter((d) => d.startsWith("chromium"))
      .sort()
      .reverse()) {
      const exe = path.join(pwCache, d, "chrome-linux", "chrome");
      if (fs.existsSync(exe)) return exe;
    }
  }
  return null;
}

function ensureChromium() {
  let exe = findChromium();
  if (exe) return exe;
  const isRoot = process.getuid?.() === 0;
  const hasApt = spawnSync("sh", ["-c", "command -v apt-get"]).status === 0;
  if (isRoot && hasApt) {
    console.log("No Chromium found: installing Debian's chromium with apt-get…");
    run("sh", ["-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium"]);
    exe = findChromium();
  }
  if (!exe) {
    console.error(
      "\nBrowser tests need Chromium and none was found. Install it with:\n  sudo apt-get install -y chromium\nor set CHROMIUM_PATH to a Chromium binary.",
    );
  }
  return exe;
}

const only = process.argv.slice(2);
const want = (s) => !only.length || only.includes(s);

if (want("types")) record("types", ...(run(bin("tsc"), ["--noEmit"]) ? [1, 0] : [0, 1]));
if (want("lint")) record("lint", ...(run(bin("eslint"), ["."]) ? [1, 0] : [0, 1]));
// One layout for the whole tree (`npm run format` fixes it), so diffs show changes, not whitespace.
if (want("format")) record("format", ...(run(bin("prettier"), ["--check", "--log-level", "warn", "."]) ? [1, 0] : [0, 1]));
if (want("unit")) {
  vitest("pglite", { TEST_DATABASE_URL: "" });
  if (process.env.TEST_DATABASE_URL) vitest("postgres", {});
}
if (want("e2e")) {
  const exe = ensureChromium();
  if (!exe) record("browser", 0, 1);
  else {
    const out = path.join(root, "test-results", "e2e.json");
    fs.rmSync(out, { force: true });
    const ok = run(bin("playwright"), ["test"], { CHROMIUM_PATH: exe, TEST_DATABASE_URL: "" });
    const s = readJson(out)?.stats;
    if (!s) record("browser", 0, 1);
    else record("browser", s.expected + s.flaky, s.unexpected + (ok || s.unexpected ? 0 : 1), s.skipped);
  }
}

// The critical paths through nginx against two replicas on PostgreSQL and s3rver, then a replica killed mid-ingest
// (playwright.cluster.config.ts; the cluster is `npm run cluster`, started and stopped by the suite).
if (want("cluster")) {
  const exe = ensureChromium();
  const hasNginx = ["/usr/sbin/nginx", "/usr/bin/nginx"].some((p) => fs.existsSync(p));
  const hasPostgres = fs.existsSync("/usr/lib/postgresql") || spawnSync("sh", ["-c", "command -v initdb"]).status === 0;
  if (!exe) record("cluster", 0, 1);
  else if (!hasNginx || !hasPostgres) {
    console.error(
      `\nThe cluster suite needs nginx and PostgreSQL: sudo apt-get install -y nginx postgresql (missing: ${[!hasNginx && "nginx", !hasPostgres && "postgresql"].filter(Boolean).join(", ")})`,
    );
    record("cluster", 0, 1);
  } else {
    const out = path.join(root, "test-results", "e2e-cluster.json");
    fs.rmSync(out, { force: true });
    const started = Date.now();
    // Its own cluster: a server named by the caller's E2E_BASE_URL is for the browser suite, not this one.
    const ok = run(bin("playwright"), ["test", "-c", "playwright.cluster.config.ts"], { CHROMIUM_PATH: exe, E2E_BASE_URL: "", SENTINEL_CLUSTER_STATE: "" });
    console.log(`cluster suite: ${seconds(Date.now() - started)} (cluster start, critical paths through nginx, replica fault)`);
    const s = readJson(out)?.stats;
    if (!s) record("cluster", 0, 1);
    else record("cluster", s.expected + s.flaky, s.unexpected + (ok || s.unexpected ? 0 : 1), s.skipped);
  }
}

const passed = results.reduce((a, r) => a + r.passed, 0);
const failed = results.reduce((a, r) => a + r.failed, 0);
console.log("\nSummary:");
for (const r of results) {
  console.log(`  ${r.suite}: ${r.passed} passed, ${r.failed} failed${r.skipped ? ` (${r.skipped} skipped, not counted)` : ""} in ${seconds(r.ms)}`);
  for (const n of r.names ?? []) console.log(`    failed: ${n}`);
}
console.log(`Total time: ${seconds(results.reduce((a, r) => a + r.ms, 0))}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
