// Server components call the same tRPC procedures as the browser, with the signed-in actor.
import "server-only";
import { headers } from "next/headers";
import { requirePageActor } from "@/server/auth/session";
import { getDb } from "@/server/db";
import { createCaller } from "@/server/routers/_app";

export async function serverApi() {
  const actor = await requirePageActor();
  const requestId = (await headers()).get("x-request-id") ?? crypto.randomUUID();
  return { api: createCaller({ db: await getDb(), actor: { ...actor, requestId }, requestId }), actor };
}
