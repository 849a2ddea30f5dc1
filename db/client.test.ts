import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { acquireDataDirLock } from "./client";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tmp() {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-lock-"));
  dirs.push(d);
  return d;
}

describe("data dir lock", () => {
  it("refuses a second process while the owner lives, naming the directory", async () => {
    const dir = tmp();
    const owner = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"]);
    try {
      fs.writeFileSync(path.join(dir, "sentinel.lock"), String(owner.pid));
      expect(() => acquireDataDirLock(dir)).toThrow(new RegExp(`${dir.replace(/[/\\.]/g, "\\$&")}.*in use by another Sentinel process \\(pid ${owner.pid}\\)`));
    } finally {
      owner.kill();
    }
  });

  it("takes over a stale lock of a dead process and releases its own", () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, "sentinel.lock"), "999999999");
    const release = acquireDataDirLock(dir);
    expect(fs.readFileSync(path.join(dir, "sentinel.lock"), "utf8")).toBe(String(process.pid));
    release();
    expect(fs.existsSync(path.join(dir, "sentinel.lock"))).toBe(false);
  });
});
