// OIDC linking: the pure decision table, then the callback's service against the real database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditLog, users } from "@/db/schema";
import { setupTestEnv, TEST_PASSWORD, type TestEnv } from "@/server/test-utils";
import { decideOidcLink, resolveOidcSignIn } from "./oidc";
import { createUser } from "./users";

const viewer = { id: "v", role: "viewer" as const, active: true, oidcSubject: null };
const admin = { id: "a", role: "admin" as const, active: true, oidcSubject: null };

describe("decideOidcLink", () => {
  const verified = { email: "x@corp.example", emailVerified: true };
  const unverified = { email: "x@corp.example", emailVerified: false };
  it.each([
    ["bound identity is used", verified, { ...viewer, oidcSubject: "s" }, undefined, { action: "use", userId: "v" }],
    ["bound identity of an admin is used (bound by hand, not by email)", unverified, { ...admin, oidcSubject: "s" }, undefined, { action: "use", userId: "a" }],
    ["bound but deactivated", verified, { ...viewer, active: false, oidcSubject: "s" }, undefined, { action: "refuse", reason: "inactive" }],
    ["verified email links a viewer", verified, undefined, viewer, { action: "link", userId: "v" }],
    ["unverified email never links", unverified, undefined, viewer, { action: "refuse", reason: "email_unverified" }],
    ["verified email never links an admin", verified, undefined, admin, { action: "refuse", reason: "admin_not_linked" }],
    ["unverified email never links an admin", unverified, undefined, admin, { action: "refuse", reason: "email_unverified" }],
    [
      "an account bound to another identity is not re-linked",
      verified,
      undefined,
      { ...viewer, oidcSubject: "other" },
      { action: "refuse", reason: "bound_elsewhere" },
    ],
    ["a deactivated account is not linked", verified, undefined, { ...viewer, active: false }, { action: "refuse", reason: "inactive" }],
    ["a new verified email makes a viewer", verified, undefined, undefined, { action: "create" }],
    ["a new unverified email makes nothing", unverified, undefined, undefined, { action: "refuse", reason: "email_unverified" }],
    ["no email", { email: null, emailVerified: true }, undefined, undefined, { action: "refuse", reason: "no_email" }],
  ] as const)("%s", (_name, identity, bySubject, byEmail, want) => {
    expect(decideOidcLink(identity, bySubject, byEmail)).toEqual(want);
  });
});

describe("resolveOidcSignIn", () => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await setupTestEnv();
  });
  afterAll(async () => {
    await t.close();
  });

  it("refuses to take over the admin account by email, verified or not, and audits the refusal", async () => {
    for (const emailVerified of [true, false]) {
      const r = await resolveOidcSignIn(t.db, { subject: `https://idp#attacker-${emailVerified}`, email: "ADMIN@test.local", emailVerified, name: "Mallory" });
      expect(r.ok).toBe(false);
    }
    const [admin] = await t.db.select().from(users).where(eq(users.id, t.actors.admin.userId));
    expect(admin.oidcSubject).toBeNull();
    const refusals = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "auth.oidc_refused"), eq(auditLog.entityId, "admin@test.local")));
    expect(refusals.map((r) => (r.after as { reason: string }).reason).sort()).toEqual(["admin_not_linked", "email_unverified"]);
  });

  it("links a non-admin only on a verified email, then recognises the identity by subject", async () => {
    const u = await createUser(t.db, t.actors.admin, { email: "pat@test.local", role: "engineer", password: TEST_PASSWORD });
    expect(await resolveOidcSignIn(t.db, { subject: "https://idp#pat", email: "pat@test.local", emailVerified: false, name: "Pat" })).toEqual({
      ok: false,
      reason: "email_unverified",
    });
    const linked = await resolveOidcSignIn(t.db, { subject: "https://idp#pat", email: "pat@test.local", emailVerified: true, name: "Pat" });
    expect(linked).toMatchObject({ ok: true, user: { id: u.id, role: "engineer" } });
    // Later sign-ins match the subject even if the provider stops vouching for the email.
    expect(await resolveOidcSignIn(t.db, { subject: "https://idp#pat", email: "pat@test.local", emailVerified: false, name: "Pat" })).toMatchObject({
      ok: true,
      user: { id: u.id },
    });
    // Another identity claiming the same (verified) email does not get the account.
    expect(await resolveOidcSignIn(t.db, { subject: "https://idp#imposter", email: "pat@test.local", emailVerified: true, name: "Pat" })).toEqual({
      ok: false,
      reason: "bound_elsewhere",
    });
  });

  it("creates a viewer for a new verified email", async () => {
    const r = await resolveOidcSignIn(t.db, { subject: "https://idp#new", email: "New.Person@test.local", emailVerified: true, name: "New Person" });
    expect(r).toMatchObject({ ok: true, user: { email: "new.person@test.local", role: "viewer" } });
  });
});
