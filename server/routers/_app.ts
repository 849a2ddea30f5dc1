// The browser's API: one router per area.
import { createCallerFactory, router } from "@/server/trpc";
import { adminRouter } from "./admin";
import { homeRouter } from "./home";
import { monitoringRouter } from "./monitoring";
import { playgroundRouter } from "./playground";
import { registryRouter } from "./registry";
import { tokensRouter } from "./tokens";

export const appRouter = router({
  admin: adminRouter,
  home: homeRouter,
  monitoring: monitoringRouter,
  playground: playgroundRouter,
  registry: registryRouter,
  tokens: tokensRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
