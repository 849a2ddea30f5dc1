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
    expect(JSON.parse(fs.readFileSync(path.join(dir, "sentinel.lock"), "utf8"))).toMatchObject({ pid: process.pid, bootId: expect.any(String) });
    release();
    expect(fs.existsSync(path.join(dir, "sentinel.lock"))).toBe(false);
  });

  it("takes over a stale lock whose pid now belongs to another live process (containers reuse pids)", async () => {
    const dir = tmp();
    const stranger = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"]);
    try {
      await new Promise((r) => stranger.once("spawn", r));
      // Written by a Sentinel that ran under this pid before: same pid, another process start time.
      fs.writeFileSync(path.join(dir, "sentinel.lock"), JSON.stringify({ pid: stranger.pid, bootId: "an-earlier-boot", procStart: "1" }));
      const release = acquireDataDirLock(dir);
      expect(JSON.parse(fs.readFileSync(path.join(dir, "sentinel.lock"), "utf8")).pid).toBe(process.pid);
      release();
    } finally {
      stranger.kill();
    }
  });

  it("still refuses while the recorded process itself runs", async () => {
    const dir = tmp();
    const owner = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"]);
    try {
      await new Promise((r) => owner.once("spawn", r));
      const stat = fs.readFileSync(`/proc/${owner.pid}/stat`, "utf8");
      const procStart = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
      fs.writeFileSync(path.join(dir, "sentinel.lock"), JSON.stringify({ pid: owner.pid, bootId: "its-boot", procStart }));
      expect(() => acquireDataDirLock(dir)).toThrow(/in use by another Sentinel process/);
    } finally {
      owner.kill();
    }
  });
});
