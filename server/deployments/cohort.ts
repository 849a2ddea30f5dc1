// Stable cohort assignment for progressive rollouts: a device's bucket depends only on its id (and a salt).
import { createHash } from "node:crypto";

export const BUCKETS = 10_000;

/**
 * The device's bucket in [0, 10,000): the first 32 bits of sha256(deviceId), modulo 10,000. Unsalted on
 * purpose, so it can be stored with the device and counted by index; the price is that the same devices
 * lead every model's canary (a per-rollout salt would spread that load and is the next step).
 */
export function bucketOf(deviceId: string): number {
  const digest = createHash("sha256").update(deviceId).digest();
  return digest.readUInt32BE(0) % BUCKETS;
}

/** Buckets below percent × 100 run the candidate: widening only adds buckets, so no device flips back. */
export function inRollout(bucket: number, percent: number): boolean {
  return bucket < Math.round(Math.min(100, Math.max(0, percent)) * (BUCKETS / 100));
}

/** Expected devices on the candidate at a percent, for confirmation texts. */
export function expectedDevices(total: number, percent: number): number {
  return Math.round((total * percent) / 100);
}
