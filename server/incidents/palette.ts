// Open incidents and all runbooks in the command palette up front; any incident (resolved ones too) by number or title.
import { desc, eq, ilike, ne, or } from "drizzle-orm";
import { incidents, runbooks } from "@/db/schema";
import { containsPattern, registerPaletteSearch, registerPaletteSource } from "@/server/palette";

registerPaletteSource(async (db) => {
  const [open, books] = await Promise.all([
    db
      .select({ id: incidents.id, number: incidents.number, title: incidents.title })
      .from(incidents)
      .where(ne(incidents.status, "resolved"))
      .orderBy(desc(incidents.declaredAt))
      .limit(50),
    db.select({ id: runbooks.id, title: runbooks.title }).from(runbooks).orderBy(desc(runbooks.updatedAt)).limit(200),
  ]);
  return [
    ...open.map((i) => ({ href: `/incidents/${i.id}`, label: `INC-${i.number} ${i.title}`, group: "Open incidents" })),
    ...books.map((r) => ({ href: `/runbooks/${r.id}`, label: r.title, group: "Runbooks" })),
  ];
});

registerPaletteSearch(async (db, q, limit) => {
  const n = /^(?:#|inc-)?(\d{1,9})$/i.exec(q);
  const rows = await db
    .select({ id: incidents.id, number: incidents.number, title: incidents.title, status: incidents.status })
    .from(incidents)
    .where(n ? or(eq(incidents.number, Number(n[1])), ilike(incidents.title, containsPattern(q))) : ilike(incidents.title, containsPattern(q)))
    .orderBy(desc(incidents.declaredAt))
    .limit(limit);
  return rows.map((i) => ({ href: `/incidents/${i.id}`, label: `INC-${i.number} ${i.title} (${i.status})`, group: "Incidents" }));
});
