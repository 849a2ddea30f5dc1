// An 80-byte ONNX model (one Identity node, opset 13). Creating a session from it makes onnxruntime-web fetch and
// start its WebAssembly module, so the worker can pay that once, while the page is still idle, instead of inside the
// first real model's session creation.
export const WARMUP_MODEL_BASE64 = "CAcSCHNlbnRpbmVsOjwKEAoBeBIBeSIISWRlbnRpdHkSBndhcm11cFoPCgF4EgoKCAgBEgQKAggBYg8KAXkSCgoICAESBAoCCAFCBAoAEA0=";

export function warmupModelBytes(): Uint8Array {
  return Uint8Array.from(atob(WARMUP_MODEL_BASE64), (c) => c.charCodeAt(0));
}
