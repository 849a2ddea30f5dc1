// Next.js start-up hook: the database opens before the first request (never during `next build`).
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.NEXT_PHASE !== "phase-production-build") {
    // First, so every request handled from here on carries the real peer address (see client-address.ts).
    const { installPeerAddressStamp } = await import("./server/http/client-address");
    installPeerAddressStamp();
    const { startServer } = await import("./server/boot/start");
    await startServer();
  }
}
