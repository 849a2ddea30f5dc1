// ARTIFACT_STORE_URL parsing: a bucket and a key prefix, or a clear refusal at start-up.
import { describe, expect, it } from "vitest";
import { ZArtifactStoreUrl } from "@/server/env";

describe("ARTIFACT_STORE_URL", () => {
  it("reads a bucket and a prefix that ends in one slash", () => {
    expect(ZArtifactStoreUrl.parse("s3://models-prod")).toEqual({ bucket: "models-prod", prefix: "" });
    expect(ZArtifactStoreUrl.parse("s3://models-prod/")).toEqual({ bucket: "models-prod", prefix: "" });
    expect(ZArtifactStoreUrl.parse("s3://models.prod/sentinel/eu//")).toEqual({ bucket: "models.prod", prefix: "sentinel/eu/" });
    expect(ZArtifactStoreUrl.parse(undefined)).toBeUndefined();
    expect(ZArtifactStoreUrl.parse("")).toBeUndefined();
  });

  it("refuses what is not an S3 location", () => {
    for (const bad of ["https://bucket/x", "s3://", "s3://UPPER", "s3://ab", "/var/artifacts", "s3://bucket_name"]) {
      expect(ZArtifactStoreUrl.safeParse(bad).error?.issues[0].message).toMatch(/s3:\/\/bucket/);
    }
  });
});
