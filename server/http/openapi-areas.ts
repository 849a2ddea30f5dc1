// Imports each area's OpenAPI operations so the document lists them all.
export {};
