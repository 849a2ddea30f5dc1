// Imports each area's OpenAPI operations so the document lists them all.
import "@/server/registry/openapi";
import "@/server/frames/openapi";
import "@/server/safety/openapi";
import "@/server/cost/openapi";
import "@/server/telemetry/openapi";
import "@/server/deployments/openapi";
import "@/server/experiments/openapi";
import "@/server/monitoring/openapi";
import "@/server/incidents/openapi";
import "@/server/releases/openapi";
import "@/server/sweeps/openapi";
import "@/server/lineage/openapi";
import "@/server/catalog/openapi";
