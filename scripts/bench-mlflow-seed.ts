// Seeds the bulk runs for `scripts/bench-mlflow.py --runs N` before Sentinel starts (the embedded
// database is held by one process at a time): one experiment with N runs shaped like the ones the
// benchmark creates through runs/create + log-batch, written through importRuns (the bulk path).
//   tsx scripts/bench-mlflow-seed.ts --experiment NAME --runs N --user EMAIL
import { findUserByEmail } from "@/server/auth/users";
import { createExperiment, importRuns, type ImportRun } from "@/server/experiments/service";
import { flags, main, openConfiguredDatabase } from "./cli";

main(async () => {
  const f = flags(process.argv.slice(2));
  const n = Number(f.runs);
  if (!f.experiment || !f.user || !Number.isSafeInteger(n) || n < 0)
    throw new Error("Usage: tsx scripts/bench-mlflow-seed.ts --experiment NAME --runs N --user EMAIL");
  const database = await openConfiguredDatabase();
  try {
    const user = await findUserByEmail(database.db, f.user);
    if (!user) throw new Error(`No user ${f.user}`);
    const actor = { userId: user.id, email: user.email, role: user.role };
    const exp = await createExperiment(database.db, actor, { name: f.experiment, tags: [] });
    // The same deterministic shape as bench-mlflow.py's seed_mlflow: lr cycles, acc spread over [0, 1).
    let rnd = 7;
    const next = () => (rnd = (rnd * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const t0 = 1_700_000_000_000;
    for (let start = 0; start < n; start += 10_000) {
      const part: ImportRun[] = [];
      for (let i = start; i < Math.min(n, start + 10_000); i++) {
        part.push({
          runName: `seed-${i}`,
          status: "FINISHED",
          startTime: t0 + i,
          endTime: t0 + i + 1000,
          params: { lr: ["0.1", "0.01", "0.001"][i % 3], batch: "32", seed: String(i) },
          metrics: [
            { key: "acc", steps: [0], values: [next()], timestamps: [t0 + i] },
            { key: "loss", steps: [0], values: [next()], timestamps: [t0 + i] },
          ],
        });
      }
      await importRuns(database.db, actor, String(exp.id), part);
    }
    process.stdout.write(`${exp.id}\n`);
  } finally {
    await database.close();
  }
});
