import { notFound } from "next/navigation";
import { requirePageActor } from "@/server/auth/session";

// The admin area exists only for admins; others get the same 404 as a missing page.
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const actor = await requirePageActor();
  if (actor.role !== "admin") notFound();
  return children;
}
