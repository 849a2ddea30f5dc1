// A throwaway PostgreSQL cluster on 127.0.0.1 for scripts (the cluster, benchmarks): initdb in a temp
// directory, trust auth for user "sentinel", stopped and deleted by stop().
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "./free-port";

const isRoot = process.getuid?.() === 0;

/** The newest installed PostgreSQL's bin directory. */
export function pgBin(): string {
  const base = "/usr/lib/postgresql";
  const versions = fs.existsSync(base)
    ? fs
        .readdirSync(base)
        .filter((v) => fs.existsSync(path.join(base, v, "bin", "initdb")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length) return path.join(base, versions[0], "bin");
  const which = spawnSync("sh", ["-c", "command -v initdb"], { encoding: "utf8" }).stdout.trim();
  if (which) return path.dirname(which);
  throw new Error("PostgreSQL is not installed: apt-get install -y postgresql");
}

/** Runs a PostgreSQL tool as the postgres user when we are root (initdb refuses root), else as ourselves. */
export function asPostgres(cmd: string, args: string[]) {
  const quoted = [cmd, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ");
  const r = isRoot ? spawnSync("su", ["postgres", "-s", "/bin/sh", "-c", quoted], { encoding: "utf8" }) : spawnSync(cmd, args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} failed: ${r.stderr || r.stdout}`);
}

/** Starts a cluster with extra server settings (`-c name=value` pairs); its URL points at database "postgres". */
export async function startThrowawayPostgres(settings: Record<string, string> = {}): Promise<{ url: string; stop: () => void }> {
  const bin = pgBin();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-pg-"));
  const pgDir = path.join(dir, "pg");
  fs.mkdirSync(pgDir);
  if (isRoot) {
    // The postgres user must reach its directory through ours (mkdtemp makes it 0700).
    fs.chmodSync(dir, 0o711);
    execFileSync("chown", ["postgres", pgDir]);
  }
  const port = await freePort();
  const extra = Object.entries(settings)
    .map(([k, v]) => ` -c ${k}=${v}`)
    .join("");
  asPostgres(path.join(bin, "initdb"), ["-D", path.join(pgDir, "data"), "-U", "sentinel", "--auth=trust", "-E", "UTF8"]);
  asPostgres(path.join(bin, "pg_ctl"), [
    "-D",
    path.join(pgDir, "data"),
    "-o",
    `-c listen_addresses=127.0.0.1 -p ${port} -k ${pgDir}${extra}`,
    "-l",
    path.join(pgDir, "log"),
    "-w",
    "start",
  ]);
  return {
    url: `postgres://sentinel@127.0.0.1:${port}/postgres`,
    stop: () => {
      asPostgres(path.join(bin, "pg_ctl"), ["-D", path.join(pgDir, "data"), "-m", "fast", "-w", "stop"]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
