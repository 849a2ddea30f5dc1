// Request limits shared by the server and the browser client, so the client never builds what the server refuses.

/** Procedures per tRPC batch request; the client's batch link splits larger batches. */
export const TRPC_MAX_BATCH = 20;
