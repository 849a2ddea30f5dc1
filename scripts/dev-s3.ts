// A throwaway S3-compatible server (s3rver) on 127.0.0.1 for trying ARTIFACT_STORE_URL by hand: prints the
// variables to start the portal with, keeps running until Ctrl-C (or SIGTERM), then deletes its files.
//   npx tsx scripts/dev-s3.ts [port=0: any free port]
import { startTestS3 } from "@/server/artifacts/test-s3";

async function main() {
  const s3 = await startTestS3("sentinel-dev", "artifacts/", Number(process.argv[2] ?? 0));
  const { endpoint, credentials } = s3.config;
  console.log(
    `ARTIFACT_STORE_URL=s3://sentinel-dev/artifacts S3_ENDPOINT=${endpoint} S3_FORCE_PATH_STYLE=1 AWS_ACCESS_KEY_ID=${credentials!.accessKeyId} AWS_SECRET_ACCESS_KEY=${credentials!.secretAccessKey}`,
  );
  const stop = () => void s3.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
