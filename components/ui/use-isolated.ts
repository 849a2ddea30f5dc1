"use client";
import { useSyncExternalStore } from "react";

/** A document's isolation is fixed for its lifetime: nothing to subscribe to. */
const neverChanges = () => () => {};

/** Whether this document is cross-origin isolated; `onServer` is what the server render assumes. */
export function useCrossOriginIsolated(onServer: boolean): boolean {
  return useSyncExternalStore(
    neverChanges,
    () => window.crossOriginIsolated,
    () => onServer,
  );
}
