// Demo cost: daily cost rows per model, version, environment and resource kind for the last three
// months, demo inference counts, and budgets; seeded PRNG, labelled demo (source "demo", tag demo=true).
import type { Db } from "@/db/client";
import { models, usageCounts } from "@/db/schema";
import { ingestCostRecords, setBudget } from "@/server/cost/service";
import { addDays, toDay, weekday } from "@/server/cost/forecast";
import type { TIngestCosts } from "@/server/cost/schemas";
import type { Actor } from "@/server/auth/roles";
import { findUserByEmail } from "@/server/auth/users";
import { mulberry32 } from "@/lib/prng";

type Kind = TIngestCosts["records"][number]["resourceKind"];
/** Daily dollars per line item at full weekday traffic; versions split traffic by `share`. */
type Line = { environment: string; kind: Kind; service: string; dollars: number; weekendFactor: number };
type DemoModel = { slug: string; versions: { version: number; share: number; costFactor: number }[]; lines: Line[]; inferencesPerDay: number };

const DEMO: DemoModel[] = [
  {
    slug: "forward-collision-warning",
    // v3 runs as a 10% canary and costs 40% more per inference (bigger backbone).
    versions: [
      { version: 2, share: 0.9, costFactor: 1 },
      { version: 3, share: 0.1, costFactor: 1.4 },
    ],
    lines: [
      { environment: "cloud-prod", kind: "gpu_hours", service: "Amazon SageMaker", dollars: 410, weekendFactor: 0.55 },
      { environment: "cloud-prod", kind: "storage", service: "Amazon S3", dollars: 18, weekendFactor: 1 },
      { environment: "fleet", kind: "device_bandwidth", service: "OTA delivery", dollars: 35, weekendFactor: 0.8 },
    ],
    inferencesPerDay: 4_200_000,
  },
  {
    slug: "distracted-driving",
    versions: [
      { version: 1, share: 0.8, costFactor: 1 },
      { version: 2, share: 0.2, costFactor: 0.95 },
    ],
    lines: [
      { environment: "cloud-prod", kind: "gpu_hours", service: "Google Vertex AI", dollars: 260, weekendFactor: 0.6 },
      { environment: "cloud-staging", kind: "cpu_hours", service: "Google Compute Engine", dollars: 22, weekendFactor: 0.3 },
    ],
    inferencesPerDay: 2_600_000,
  },
  {
    slug: "seatbelt",
    versions: [{ version: 1, share: 1, costFactor: 1 }],
    lines: [{ environment: "cloud-prod", kind: "cpu_hours", service: "Amazon EC2", dollars: 95, weekendFactor: 0.6 }],
    inferencesPerDay: 3_100_000,
  },
  {
    slug: "incident-report-llm",
    versions: [{ version: 1, share: 1, costFactor: 1 }],
    lines: [
      { environment: "cloud-prod", kind: "llm_tokens", service: "Amazon Bedrock", dollars: 180, weekendFactor: 0.5 },
      { environment: "cloud-prod", kind: "network_egress", service: "AWS Data Transfer", dollars: 6, weekendFactor: 0.7 },
    ],
    inferencesPerDay: 14_000,
  },
  {
    slug: "eco-driving-score",
    versions: [{ version: 1, share: 1, costFactor: 1 }],
    lines: [{ environment: "cloud-batch", kind: "cpu_hours", service: "AWS Batch", dollars: 40, weekendFactor: 1 }],
    inferencesPerDay: 900_000,
  },
];

export const DEMO_BUDGETS = { perception: "14500", "driver-monitoring": "9500", platform: "7000" } as const;

function decimal(micros: number): string {
  return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, "0")}`;
}

/** The demo rows from `from` to `to` (inclusive); deterministic for the same dates. */
export function demoCostRecords(
  from: string,
  to: string,
  anomalyDay: string | null,
): { records: TIngestCosts["records"]; usage: { day: string; slug: string; version: number; inferences: number }[] } {
  const rnd = mulberry32(4242);
  const records: TIngestCosts["records"] = [];
  const usage: { day: string; slug: string; version: number; inferences: number }[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const weekend = [0, 6].includes(weekday(day));
    for (const m of DEMO) {
      for (const v of m.versions) {
        const traffic = (weekend ? 0.6 : 1) * (0.95 + rnd() * 0.1);
        usage.push({ day, slug: m.slug, version: v.version, inferences: Math.round(m.inferencesPerDay * v.share * traffic) });
        for (const line of m.lines) {
          let dollars = line.dollars * v.share * v.costFactor * (weekend ? line.weekendFactor : 1) * (0.92 + rnd() * 0.16);
          // One runaway day: a retry loop in the report writer (the anomaly the overview flags).
          if (day === anomalyDay && line.kind === "llm_tokens") dollars *= 4.5;
          records.push({
            day,
            model: m.slug,
            version: v.version,
            environment: line.environment,
            resourceKind: line.kind,
            billedCost: decimal(Math.round(dollars * 1_000_000)),
            serviceName: line.service,
            resourceId: `${line.service.toLowerCase().replace(/\W+/g, "-")}/${m.slug}/v${v.version}/${line.environment}`,
            tags: { demo: "true" },
            rowKey: `demo:${day}:${m.slug}:${v.version}:${line.environment}:${line.kind}`,
          });
        }
      }
    }
  }
  return { records, usage };
}

export async function seedCost(db: Db, today = new Date()): Promise<void> {
  const engineer = await findUserByEmail(db, "engineer@example.com");
  if (!engineer) return;
  const actor: Actor = { userId: engineer.id, email: engineer.email, role: engineer.role, requestId: "demo-seed" };
  const to = addDays(toDay(today), -1);
  const monthStart = `${to.slice(0, 7)}-01`;
  const from = toDay(new Date(Date.UTC(Number(monthStart.slice(0, 4)), Number(monthStart.slice(5, 7)) - 3, 1)));
  const { records, usage } = demoCostRecords(from, to, addDays(to, -3));
  for (let i = 0; i < records.length; i += 5000) await ingestCostRecords(db, null, { records: records.slice(i, i + 5000) }, "demo");
  const ids = new Map((await db.select({ id: models.id, slug: models.slug }).from(models)).map((m) => [m.slug, m.id]));
  const usageRows = usage.flatMap((u) =>
    ids.has(u.slug) ? [{ day: u.day, modelId: ids.get(u.slug)!, version: u.version, inferences: u.inferences, source: "demo" }] : [],
  );
  for (let i = 0; i < usageRows.length; i += 2000)
    await db
      .insert(usageCounts)
      .values(usageRows.slice(i, i + 2000))
      .onConflictDoNothing();
  for (const month of [monthStart.slice(0, 7), toDay(new Date(Date.UTC(Number(monthStart.slice(0, 4)), Number(monthStart.slice(5, 7)) - 2, 1))).slice(0, 7)]) {
    for (const [team, amount] of Object.entries(DEMO_BUDGETS)) await setBudget(db, actor, { scope: "team", key: team, month, amount });
    await setBudget(db, actor, { scope: "model", key: "incident-report-llm", month, amount: "5200" });
  }
}
