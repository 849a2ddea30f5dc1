// `npm start`: build once (or when the source revision changed), then serve with scripts/serve.mjs.
// Migrations and demo seeding run inside the server at start-up (instrumentation.ts).
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const next = path.join(root, "node_modules", ".bin", "next");
const marker = path.join(root, ".next", "sentinel-build-rev");

function revision() {
  try {
    const head = execFileSync("git", ["rev-parse", "HEAD"], { cwd: root, stdio: ["ignore", "pipe", "ignore"] })
      .toString()
      .trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: root, stdio: ["ignore", "pipe", "ignore"] })
      .toString()
      .trim();
    return dirty ? `${head}+dirty-${Date.now()}` : head;
  } catch {
    return "no-git";
  }
}

execFileSync(process.execPath, [path.join(root, "scripts", "copy-ort.mjs")], { stdio: "inherit" });
const rev = revision();
const built = fs.existsSync(path.join(root, ".next", "BUILD_ID")) && fs.existsSync(marker) && fs.readFileSync(marker, "utf8") === rev;
if (!built || process.env.SENTINEL_REBUILD === "1") {
  console.log("Building Sentinel (first start or new source revision)…");
  execFileSync(next, ["build"], { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  fs.writeFileSync(marker, rev);
}

const port = process.env.PORT || "3000";
const env = { ...process.env, PORT: port, NEXT_TELEMETRY_DISABLED: "1" };
env.NEXTAUTH_URL ||= `http://localhost:${port}`;
// Our own server around Next's handler (scripts/serve.mjs), so that SIGTERM drains instead of resetting.
const child = spawn(process.execPath, [path.join(root, "scripts", "serve.mjs")], { cwd: root, stdio: "inherit", env });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
