// Demo data: a safety reviewer, the safety-relevant models, and sign-offs that tell one story with the deployments:
// FCW v2 signed off and in production; v3 in a 5% canary, not signed off, its night slice regressed, so the gate holds it.
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { models } from "@/db/schema";
import type { Actor } from "@/server/auth/roles";
import { createUser, findUserByEmail } from "@/server/auth/users";
import { updateModel } from "@/server/registry/service";
import { SAFETY_RELEVANT_TAG } from "@/server/safety/policy";
import { grantPermission, releaseReview, SAFETY_REVIEWER, signOff } from "@/server/safety/service";

export const DEMO_REVIEWER = { email: "sam.safety@example.com", name: "Sam Safety (demo safety reviewer)", role: "viewer" as const };

/** Safety-relevant models and the production versions the demo reviewer signed off. */
const SIGNED_OFF: { slug: string; version: number; comment: string }[] = [
  { slug: "forward-collision-warning", version: 2, comment: "Recall holds on every slice of the fleet evaluation set; fine to ship (demo)" },
  { slug: "distracted-driving", version: 1, comment: "Phone-use recall and false alerts within targets (demo)" },
  { slug: "seatbelt", version: 1, comment: "No regression against the lab set (demo)" },
];

const asActor = (u: { id: string; email: string; role: Actor["role"] }): Actor => ({ userId: u.id, email: u.email, role: u.role, requestId: "demo-seed" });

export async function seedSignOffStory(db: Db, password: string): Promise<void> {
  const admin = await findUserByEmail(db, "admin@example.com");
  if (!admin) return;
  const reviewer = (await findUserByEmail(db, DEMO_REVIEWER.email)) ?? (await createUser(db, null, { ...DEMO_REVIEWER, password }));
  await grantPermission(db, asActor(admin), { userId: reviewer.id, permission: SAFETY_REVIEWER }).catch(() => undefined);
  for (const s of SIGNED_OFF) {
    const [m] = await db.select({ tags: models.tags }).from(models).where(eq(models.slug, s.slug));
    if (!m) continue;
    await updateModel(db, asActor(admin), s.slug, { tags: { ...m.tags, [SAFETY_RELEVANT_TAG]: "true" } });
    const review = await releaseReview(db, { slug: s.slug, candidate: s.version });
    if (!review.candidate.evaluationId) continue;
    await signOff(db, asActor(reviewer), {
      slug: s.slug,
      version: s.version,
      decision: "approve",
      comment: s.comment,
      dataset: review.dataset ?? undefined,
      seen: { candidateEvaluationId: review.candidate.evaluationId, productionEvaluationId: review.production?.evaluationId ?? null },
    });
  }
}
