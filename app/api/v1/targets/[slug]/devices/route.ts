import { targetDevices } from "@/server/deployments/targets";
import { rest } from "@/server/http/rest";

// The devices of a fleet (first 10,000 by id): the fleet simulator follows their manifests.
export const GET = rest({ route: "/api/v1/targets/[slug]/devices", scope: "deploy:read" }, ({ db, params }) => targetDevices(db, params.slug));
