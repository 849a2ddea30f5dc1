"use client";
import Link from "next/link";
import { useSyncExternalStore, type ComponentProps } from "react";
import { needsFullPageLoad } from "@/lib/isolation";

/** A document's isolation is fixed for its lifetime: nothing to subscribe to. */
const neverChanges = () => () => {};

/** A link inside the portal: client-side navigation, except into cross-origin isolated pages, which need a full load
 * to get their headers (otherwise the playground would run single-threaded until a reload). */
export function PortalLink({ href, prefetch, replace, scroll, ...rest }: ComponentProps<typeof Link> & { href: string }) {
  const isolatedNow = useSyncExternalStore(
    neverChanges,
    () => window.crossOriginIsolated,
    () => false,
  );
  if (needsFullPageLoad(href, isolatedNow)) return <a href={href} {...rest} />;
  return <Link href={href} prefetch={prefetch} replace={replace} scroll={scroll} {...rest} />;
}
