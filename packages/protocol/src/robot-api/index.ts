// Schemas and types of the robot local API (/v1 over the Unix socket). Filled by the robot.
export {};
