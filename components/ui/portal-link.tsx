"use client";
import Link from "next/link";
import type { ComponentProps } from "react";
import { needsFullPageLoad } from "@/lib/isolation";
import { useCrossOriginIsolated } from "./use-isolated";

/** A link inside the portal: client-side navigation, except into cross-origin isolated pages, which need a full load
 * to get their headers (otherwise the playground would run single-threaded until a reload). */
export function PortalLink({ href, prefetch, replace, scroll, ...rest }: ComponentProps<typeof Link> & { href: string }) {
  const isolatedNow = useCrossOriginIsolated(false);
  if (needsFullPageLoad(href, isolatedNow)) return <a href={href} {...rest} />;
  return <Link href={href} prefetch={prefetch} replace={replace} scroll={scroll} {...rest} />;
}
