import Link from "next/link";
import { Fragment } from "react";

/** "Models / slug / v3": every crumb but the last is a link. */
export function Breadcrumbs({ items }: { items: { label: string; href?: string }[] }) {
  return (
    <nav aria-label="Breadcrumb" className="mb-2 text-sm text-muted">
      <ol className="flex flex-wrap items-center gap-1">
        {items.map((c, i) => (
          <Fragment key={i}>
            {i > 0 ? <li aria-hidden>/</li> : null}
            <li>
              {c.href ? (
                <Link href={c.href} className="hover:text-zinc-800 hover:underline dark:hover:text-zinc-200">
                  {c.label}
                </Link>
              ) : (
                <span aria-current="page" className="text-zinc-700 dark:text-zinc-300">
                  {c.label}
                </span>
              )}
            </li>
          </Fragment>
        ))}
      </ol>
    </nav>
  );
}
