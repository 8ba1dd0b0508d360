// Schemas and types of the platform HTTP API (/api/v1). Filled by the platform module.
export {};
