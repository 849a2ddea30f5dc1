// npm run token:create -- --user EMAIL --scopes a,b --name N [--expires 2027-01-01]; prints only the token.
import { findUserByEmail } from "@/server/auth/users";
import { createToken } from "@/server/tokens/service";
import { isScope } from "@/server/auth/roles";
import { flags, main, openConfiguredDatabase } from "./cli";

main(async () => {
  const f = flags(process.argv.slice(2));
  if (!f.user || !f.scopes) throw new Error("Usage: npm run token:create -- --user EMAIL --scopes models:write,runs:write --name N");
  const scopes = f.scopes.split(",").map((s) => s.trim());
  const bad = scopes.filter((s) => !isScope(s));
  if (bad.length) throw new Error(`Unknown scopes: ${bad.join(", ")}`);
  const database = await openConfiguredDatabase();
  try {
    const user = await findUserByEmail(database.db, f.user);
    if (!user || !user.active) throw new Error(`No active user ${f.user}`);
    const actor = { userId: user.id, email: user.email, role: user.role };
    const t = await createToken(database.db, actor, {
      name: f.name ?? "cli",
      scopes: scopes.filter(isScope),
      expiresAt: f.expires ? new Date(f.expires) : undefined,
    });
    process.stdout.write(t.token + "\n");
  } finally {
    await database.close();
  }
});
