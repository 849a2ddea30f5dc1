// A real S3-compatible server (s3rver) on 127.0.0.1, a random port and a temp directory, for tests, the
// artifact benchmark and scripts/dev-s3.ts; never imported by the app.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import S3rver from "s3rver";
import type { S3StoreConfig } from "@/server/env";

export type TestS3 = { config: S3StoreConfig; directory: string; close: () => Promise<void> };

export async function startTestS3(bucket = "sentinel-test", prefix = "artifacts/", port = 0): Promise<TestS3> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-s3rver-"));
  const server = new S3rver({ address: "127.0.0.1", port, directory, silent: true, configureBuckets: [{ name: bucket, configs: [] }] });
  const { port: bound } = await server.run();
  return {
    directory,
    // s3rver's fixed credentials; path style because the bucket is not a host name here.
    config: {
      bucket,
      prefix,
      endpoint: `http://127.0.0.1:${bound}`,
      forcePathStyle: true,
      region: "us-east-1",
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    },
    close: async () => {
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
