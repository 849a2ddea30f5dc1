// npm run user:create -- --email E --password P --role admin [--name N]
import { createUser } from "@/server/auth/users";
import { ROLES } from "@/server/auth/roles";
import { flags, main, openConfiguredDatabase } from "./cli";

main(async () => {
  const f = flags(process.argv.slice(2));
  if (!f.email || !f.password) throw new Error(`Usage: npm run user:create -- --email E --password P --role ${ROLES.join("|")}`);
  const role = ROLES.find((r) => r === (f.role ?? "viewer"));
  if (!role) throw new Error(`--role must be one of ${ROLES.join(", ")}`);
  const database = await openConfiguredDatabase();
  try {
    const u = await createUser(database.db, null, { email: f.email, password: f.password, role, name: f.name });
    console.log(`Created ${u.role} ${u.email}`);
  } finally {
    await database.close();
  }
});
