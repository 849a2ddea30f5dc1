// Runbooks: versioned Markdown documents (every save a new version), history, line diffs, and matching to incidents.
import { and, desc, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { RunbookLinks } from "@/db/schema/deployments";
import { runbooks, runbookVersions, users } from "@/db/schema";
import { lineDiff, diffStats } from "@/lib/line-diff";
import { directiveProblems } from "@/lib/runbook-markdown";
import { writeAudit } from "@/server/audit/service";
import type { Actor } from "@/server/auth/roles";
import { Conflict, Forbidden, Invalid, NotFound } from "@/server/errors";
import { bestRunbook, type MatchContext } from "./match";
import { canEditRunbook } from "./policy";
import { ZRunbookDiff, ZRunbookQuery, ZSaveRunbook } from "./schemas";

export async function listRunbooks(db: Db) {
  return db
    .select({ id: runbooks.id, title: runbooks.title, links: runbooks.links, version: runbooks.version, updatedAt: runbooks.updatedAt, updatedBy: users.email })
    .from(runbooks)
    .leftJoin(users, eq(users.id, runbooks.updatedBy))
    .orderBy(runbooks.title)
    .limit(500);
}

export async function getRunbook(db: Db, input: unknown) {
  const q = ZRunbookQuery.parse(input);
  const [doc] = await db.select().from(runbooks).where(eq(runbooks.id, q.id));
  if (!doc) throw new NotFound("Runbook");
  const history = await db
    .select({
      number: runbookVersions.number,
      title: runbookVersions.title,
      message: runbookVersions.message,
      createdAt: runbookVersions.createdAt,
      author: users.email,
    })
    .from(runbookVersions)
    .leftJoin(users, eq(users.id, runbookVersions.authorId))
    .where(eq(runbookVersions.runbookId, doc.id))
    .orderBy(desc(runbookVersions.number))
    .limit(500);
  const number = q.version ?? doc.version;
  const [shown] =
    number === doc.version
      ? [{ title: doc.title, body: doc.body }]
      : await db
          .select({ title: runbookVersions.title, body: runbookVersions.body })
          .from(runbookVersions)
          .where(and(eq(runbookVersions.runbookId, doc.id), eq(runbookVersions.number, number)));
  if (!shown) throw new NotFound(`Version ${number} of this runbook`);
  return { id: doc.id, title: shown.title, body: shown.body, links: doc.links, version: number, latest: doc.version, updatedAt: doc.updatedAt, history };
}

export async function diffRunbook(db: Db, input: unknown) {
  const q = ZRunbookDiff.parse(input);
  const rows = await db
    .select({ number: runbookVersions.number, title: runbookVersions.title, body: runbookVersions.body })
    .from(runbookVersions)
    .where(and(eq(runbookVersions.runbookId, q.id), inArray(runbookVersions.number, [q.from, q.to])));
  const a = rows.find((r) => r.number === q.from);
  const b = rows.find((r) => r.number === q.to);
  if (!a || !b) throw new NotFound(`Version ${!a ? q.from : q.to} of this runbook`);
  const lines = lineDiff(a.body, b.body);
  return { from: q.from, to: q.to, titleFrom: a.title, titleTo: b.title, lines, ...diffStats(lines) };
}

// jsonb does not keep key order, so links are compared field by field.
function sameLinks(a: RunbookLinks, b: RunbookLinks): boolean {
  return (["alertKinds", "rulePrefixes", "models", "services"] as const).every((k) => a[k].length === b[k].length && a[k].every((x, i) => x === b[k][i]));
}

/** Creates a runbook or saves a new version of one; the document row mirrors the newest version. */
export async function saveRunbook(db: Db, actor: Actor, input: unknown) {
  const p = ZSaveRunbook.parse(input);
  const may = canEditRunbook(actor);
  if (!may.allowed) throw new Forbidden(may.reason);
  const problems = directiveProblems(p.body);
  if (problems.length) throw new Invalid(problems.join("; "), { issues: problems });
  return db.transaction(async (tx) => {
    const now = new Date();
    if (!p.id) {
      const [doc] = await tx
        .insert(runbooks)
        .values({ title: p.title, body: p.body, links: p.links, version: 1, updatedBy: actor.userId, updatedAt: now })
        .returning();
      await tx
        .insert(runbookVersions)
        .values({ runbookId: doc.id, number: 1, title: p.title, body: p.body, message: p.message || "First version", authorId: actor.userId, createdAt: now });
      await writeAudit(tx, actor, { action: "runbook.create", entityType: "runbook", entityId: doc.id, after: { title: p.title, version: 1, links: p.links } });
      return { id: doc.id, version: 1, changed: true };
    }
    const [doc] = await tx.select().from(runbooks).where(eq(runbooks.id, p.id)).for("update");
    if (!doc) throw new NotFound("Runbook");
    if (p.baseVersion !== undefined && p.baseVersion !== doc.version) {
      throw new Conflict(`Someone saved version ${doc.version} while you edited version ${p.baseVersion}; open the diff, merge their change, and save again`);
    }
    if (doc.title === p.title && doc.body === p.body && sameLinks(doc.links, p.links)) return { id: doc.id, version: doc.version, changed: false };
    const version = doc.version + 1;
    await tx
      .insert(runbookVersions)
      .values({ runbookId: doc.id, number: version, title: p.title, body: p.body, message: p.message, authorId: actor.userId, createdAt: now });
    await tx
      .update(runbooks)
      .set({ title: p.title, body: p.body, links: p.links, version, updatedBy: actor.userId, updatedAt: now })
      .where(eq(runbooks.id, doc.id));
    const stats = diffStats(lineDiff(doc.body, p.body));
    await writeAudit(tx, actor, {
      action: "runbook.update",
      entityType: "runbook",
      entityId: doc.id,
      before: { title: doc.title, version: doc.version, links: doc.links },
      after: { title: p.title, version, links: p.links, message: p.message, ...stats },
    });
    return { id: doc.id, version, changed: true };
  });
}

/** The runbook that applies to an incident or alert, or null. Runbooks are few, so they are scored in memory. */
export async function matchRunbook(db: Db, c: MatchContext) {
  const all = await db
    .select({ id: runbooks.id, title: runbooks.title, body: runbooks.body, links: runbooks.links, version: runbooks.version, updatedAt: runbooks.updatedAt })
    .from(runbooks)
    .limit(1000);
  return bestRunbook(all, c);
}
