// The session secret: NEXTAUTH_SECRET, or on the embedded default one generated once and kept in DATA_DIR.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { dataDir, env } from "@/server/env";

let cached: string | undefined;

export function sessionSecret(): string {
  if (cached) return cached;
  if (env.NEXTAUTH_SECRET) return (cached = env.NEXTAUTH_SECRET);
  if (env.DATABASE_URL) {
    throw new Error("NEXTAUTH_SECRET must be set when DATABASE_URL is set (replicas must share one secret)");
  }
  const file = path.join(dataDir, "auth-secret");
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, randomBytes(32).toString("base64url"), { flag: "wx", mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
  return (cached = fs.readFileSync(file, "utf8").trim());
}
