// Shared by the shell scripts: parse --flags and open the configured database (migrations applied).
import { openDatabase } from "@/db/client";
import { dataDir, env } from "@/server/env";

export function flags(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([\w-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new Error(`Unexpected argument: ${argv[i]}`);
    if (m[2] !== undefined) out[m[1]] = m[2];
    else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) out[m[1]] = argv[++i];
    else out[m[1]] = "true";
  }
  return out;
}

export function openConfiguredDatabase() {
  return openDatabase(env.DATABASE_URL ? { url: env.DATABASE_URL } : { pgliteDir: dataDir });
}

export async function main(fn: () => Promise<void>) {
  try {
    await fn();
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
}
