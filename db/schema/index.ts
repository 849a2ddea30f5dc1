// All tables, one module per area.
export * from "./identity";
export * from "./registry";
export * from "./frames";
export * from "./experiments";
export * from "./safety";
export * from "./cost";
export * from "./monitoring";
export * from "./deployments";
export * from "./webhooks";
export * from "./incidents";
export * from "./mlflow";
export * from "./notifications";
export * from "./catalog";
