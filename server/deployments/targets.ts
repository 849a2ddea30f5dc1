// Deployment targets and new deployments: admins create targets; engineers put a version on a non-protected target.
import { and, asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { deploymentEvents, deployments, deploymentTargets, devices, environments, modelAliases, models, modelVersions } from "@/db/schema";
import { writeAudit } from "@/server/audit/service";
import type { Actor } from "@/server/auth/roles";
import { Conflict, DomainError, Forbidden, Invalid, NotFound, PreconditionFailed } from "@/server/errors";
import { ZSlug, type TContract, type TManifest } from "@/server/registry/schemas";
import { getVersion } from "@/server/registry/service";
import { applyServing } from "./apply";
import { runtimeConfigProblems } from "./config";
import { compatibilityGate } from "./gates";
import { canCreateTarget, canDeployTo } from "./policy";
import { ZCreateDeployment, ZCreateTarget } from "./schemas";

export const MAX_LISTED_DEVICES = 10_000;

export async function targetDevices(db: Db, slug: string) {
  const s = ZSlug.safeParse(slug);
  const [target] = s.success
    ? await db
        .select({ id: deploymentTargets.id, slug: deploymentTargets.slug, kind: deploymentTargets.kind })
        .from(deploymentTargets)
        .where(eq(deploymentTargets.slug, s.data))
    : [];
  if (!target) throw new NotFound(`Target ${slug}`);
  const rows = await db
    .select({
      id: devices.id,
      hardwareClass: devices.hardwareClass,
      firmware: devices.firmware,
      region: devices.region,
      bucket: devices.bucket,
      lastSeenAt: devices.lastSeenAt,
    })
    .from(devices)
    .where(eq(devices.targetId, target.id))
    .orderBy(asc(devices.id))
    .limit(MAX_LISTED_DEVICES);
  return { target: target.slug, kind: target.kind, devices: rows };
}

/** Targets with their environment, for the create-deployment form. */
export async function listTargets(db: Db) {
  return db
    .select({
      slug: deploymentTargets.slug,
      name: deploymentTargets.name,
      kind: deploymentTargets.kind,
      environment: environments.name,
      protected: environments.protected,
    })
    .from(deploymentTargets)
    .innerJoin(environments, eq(environments.key, deploymentTargets.environment))
    .orderBy(asc(environments.rank), asc(deploymentTargets.name))
    .limit(500);
}

/** Admins create targets; the environment must exist. */
export async function createTarget(db: Db, actor: Actor, input: unknown) {
  const may = canCreateTarget(actor);
  if (!may.allowed) throw new Forbidden(may.reason);
  const p = ZCreateTarget.parse(input);
  return db.transaction(async (tx) => {
    const [env] = await tx.select().from(environments).where(eq(environments.key, p.environment));
    if (!env) throw new Invalid(`environment: there is no environment "${p.environment}"`);
    const [row] = await tx
      .insert(deploymentTargets)
      .values({
        slug: p.slug,
        name: p.name,
        kind: p.kind,
        environment: p.environment,
        description: p.description,
        runtime: p.runtime,
        hardwareClass: p.kind === "edge-fleet" ? null : (p.hardwareClass ?? null),
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new Conflict(`A target with slug ${p.slug} already exists`);
    await writeAudit(tx, actor, { action: "deployment-target.create", entityType: "deployment-target", entityId: row.id, after: p });
    return row;
  });
}

/**
 * Puts a model version on a target as its first (stable) version. Engineers may do it outside protected
 * environments; refused with the reason (and audited) for an archived version, a contract the target
 * fails, or a runtime config that does not fit the version's manifest.
 */
export async function createDeployment(db: Db, actor: Actor, input: unknown) {
  const p = ZCreateDeployment.parse(input);
  try {
    const created = await db.transaction(async (tx) => {
      const [target] = await tx
        .select({ t: deploymentTargets, env: environments })
        .from(deploymentTargets)
        .innerJoin(environments, eq(environments.key, deploymentTargets.environment))
        .where(eq(deploymentTargets.slug, p.target));
      if (!target) throw new NotFound(`Target ${p.target}`);
      const may = canDeployTo(actor, target.env);
      if (!may.allowed) throw new Forbidden(may.reason);
      const [model] = await tx.select({ id: models.id, slug: models.slug }).from(models).where(eq(models.slug, p.model));
      if (!model) throw new NotFound(`Model ${p.model}`);
      let number: number;
      if (typeof p.version === "number") number = p.version;
      else {
        const [a] = await tx
          .select({ number: modelVersions.number })
          .from(modelAliases)
          .innerJoin(modelVersions, eq(modelVersions.id, modelAliases.versionId))
          .where(and(eq(modelAliases.modelId, model.id), eq(modelAliases.alias, p.version)));
        if (!a) throw new NotFound(`Alias ${p.version} of ${p.model}`);
        number = a.number;
      }
      const v = await getVersion(tx, model.slug, number);
      if (v.version.status === "archived") throw new PreconditionFailed(`v${number} is archived; restore it in the registry before deploying it`);
      const fleet =
        target.t.kind === "edge-fleet"
          ? await tx.selectDistinct({ hardwareClass: devices.hardwareClass, firmware: devices.firmware }).from(devices).where(eq(devices.targetId, target.t.id))
          : [];
      const compat = compatibilityGate({
        version: number,
        compatibility: {
          contract: (v.version.contract as TContract | null) ?? null,
          runtime: target.t.runtime,
          hardwareClasses:
            target.t.kind === "edge-fleet" ? [...new Set(fleet.map((f) => f.hardwareClass))].sort() : target.t.hardwareClass ? [target.t.hardwareClass] : [],
          firmwares: [...new Set(fleet.map((f) => f.firmware))].sort(),
        },
      });
      if (compat.state === "fail") throw new PreconditionFailed(`${target.t.name} cannot run it: ${compat.reason}`);
      const problems = runtimeConfigProblems(p.config, (v.version.manifest as TManifest | null) ?? null, `v${number}`);
      if (problems.length) throw new Invalid(`Runtime config does not fit v${number}: ${problems.join("; ")}`, { issues: problems });
      const [row] = await tx
        .insert(deployments)
        .values({ targetId: target.t.id, modelId: model.id, stableVersionId: v.version.id, stableConfig: p.config, createdBy: actor.userId })
        .onConflictDoNothing()
        .returning();
      if (!row) throw new Conflict(`${p.model} is already deployed on ${target.t.name}; use its rollout buttons to change the version`);
      await tx.insert(deploymentEvents).values({
        deploymentId: row.id,
        actorUserId: actor.userId,
        actorLabel: actor.email,
        kind: "create",
        toVersion: number,
        summary: `Deployed v${number} of ${model.slug} on ${target.t.name}`,
        detail: { config: p.config },
        revision: 1,
      });
      await writeAudit(tx, actor, {
        action: "deployment.create",
        entityType: "deployment",
        entityId: row.id,
        after: { target: p.target, model: p.model, version: number, config: p.config },
      });
      return { id: row.id, version: number };
    });
    await applyServing(db, created.id);
    return created;
  } catch (err) {
    if (err instanceof DomainError && err.code !== "NOT_FOUND") {
      await writeAudit(db, actor, {
        action: "deployment.create.refused",
        entityType: "deployment",
        entityId: `${p.model}@${p.target}`,
        after: { version: p.version, code: err.code, reason: err.message },
      });
    }
    throw err;
  }
}
