// All tables, one module per area.
export * from "./identity";
export * from "./registry";
export * from "./frames";
export * from "./monitoring";
