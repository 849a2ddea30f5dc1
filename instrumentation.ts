// Next.js start-up hook: the database opens before the first request (never during `next build`).
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.NEXT_PHASE !== "phase-production-build") {
    const { startServer } = await import("./server/boot/start");
    await startServer();
  }
}
