import Link from "next/link";
import { Badge } from "@/components/ui/card";

/** "production → v2" per alias; each links to its version when `slug` is given. */
export function AliasBadges({ aliases, slug }: { aliases: { alias: string; version: number }[]; slug?: string }) {
  if (!aliases.length) return <span className="text-muted">none</span>;
  return (
    <span className="flex flex-wrap gap-1">
      {aliases.map((a) => {
        const badge = (
          <Badge tone={a.alias === "production" ? "green" : "blue"}>
            {a.alias} → v{a.version}
          </Badge>
        );
        return slug ? (
          <Link key={a.alias} href={`/models/${slug}/versions/${a.version}`} className="rounded focus-visible:outline-2 focus-visible:outline-focus">
            {badge}
          </Link>
        ) : (
          <span key={a.alias}>{badge}</span>
        );
      })}
    </span>
  );
}
