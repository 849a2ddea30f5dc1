// Open incidents and all runbooks in the command palette.
import { desc, ne } from "drizzle-orm";
import { incidents, runbooks } from "@/db/schema";
import { registerPaletteSource } from "@/server/palette";

registerPaletteSource(async (db) => {
  const [open, books] = await Promise.all([
    db.select({ id: incidents.id, number: incidents.number, title: incidents.title }).from(incidents).where(ne(incidents.status, "resolved")).orderBy(desc(incidents.declaredAt)).limit(50),
    db.select({ id: runbooks.id, title: runbooks.title }).from(runbooks).orderBy(desc(runbooks.updatedAt)).limit(200),
  ]);
  return [
    ...open.map((i) => ({ href: `/incidents/${i.id}`, label: `INC-${i.number} ${i.title}`, group: "Open incidents" })),
    ...books.map((r) => ({ href: `/runbooks/${r.id}`, label: r.title, group: "Runbooks" })),
  ];
});
