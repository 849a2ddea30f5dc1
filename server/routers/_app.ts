// The browser's API: one router per area.
import { createCallerFactory, router } from "@/server/trpc";
import { adminRouter } from "./admin";
import { catalogRouter } from "./catalog";
import { experimentsRouter } from "./experiments";
import { framesRouter } from "./frames";
import { costRouter } from "./cost";
import { deploymentsRouter } from "./deployments";
import { homeRouter } from "./home";
import { incidentsRouter } from "./incidents";
import { lineageRouter } from "./lineage";
import { monitoringRouter } from "./monitoring";
import { playgroundRouter } from "./playground";
import { registryRouter } from "./registry";
import { releasesRouter } from "./releases";
import { runbooksRouter } from "./runbooks";
import { safetyRouter } from "./safety";
import { sessionsRouter } from "./sessions";
import { sweepsRouter } from "./sweeps";
import { tokensRouter } from "./tokens";
import { webhooksRouter } from "./webhooks";

export const appRouter = router({
  admin: adminRouter,
  catalog: catalogRouter,
  experiments: experimentsRouter,
  frames: framesRouter,
  cost: costRouter,
  deployments: deploymentsRouter,
  home: homeRouter,
  incidents: incidentsRouter,
  lineage: lineageRouter,
  monitoring: monitoringRouter,
  playground: playgroundRouter,
  registry: registryRouter,
  releases: releasesRouter,
  runbooks: runbooksRouter,
  safety: safetyRouter,
  sessions: sessionsRouter,
  sweeps: sweepsRouter,
  tokens: tokensRouter,
  webhooks: webhooksRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
