/** Who acted, as the robot's audit log records it: a person at the CLI or the window, or a run. */
export type Actor = "cli" | "window" | `run:${string}`;

/** The actors a person-facing operation can have (the transport that carried it). */
export type PersonActor = Extract<Actor, "cli" | "window">;
