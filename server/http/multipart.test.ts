// The multipart door counts every streamed byte, not only the file part, through a real upload route.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as framesRoute from "@/app/api/v1/frames/route";
import { provideDatabase } from "@/server/db";
import { MAX_FRAME_BYTES } from "@/server/frames/schemas";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { createToken } from "@/server/tokens/service";

let t: TestEnv;
let writer: string;
beforeAll(async () => {
  t = await setupTestEnv();
  provideDatabase(t);
  writer = (await createToken(t.db, t.actors.engineer, { name: "frames", scopes: ["frames:write"] })).token;
});
afterAll(async () => {
  await t.close();
});

/** A chunked multipart body whose preamble (ignored by parsers) runs on for `junk` bytes. */
function endlessPreamble(junk: number) {
  const chunk = new TextEncoder().encode("y".repeat(256 * 1024));
  const counter = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (counter.pulled >= junk) {
        controller.enqueue(new TextEncoder().encode("\r\n--B--\r\n"));
        controller.close();
        return;
      }
      counter.pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { stream, counter };
}

describe("multipart limits", () => {
  it("stops reading a chunked upload at the limit even when no part is a file", async () => {
    const { stream, counter } = endlessPreamble(MAX_FRAME_BYTES + 10 * 1024 * 1024);
    const req = new Request("http://portal.test/api/v1/frames", {
      method: "POST",
      headers: { authorization: `Bearer ${writer}`, "content-type": "multipart/form-data; boundary=B" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    const res = await framesRoute.POST(req, { params: Promise.resolve({}) });
    expect(res.status).toBe(413);
    expect(counter.pulled).toBeLessThan(MAX_FRAME_BYTES + 3 * 1024 * 1024);
  });
});
