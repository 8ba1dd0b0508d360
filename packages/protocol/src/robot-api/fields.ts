/**
 * Bounded field schemas of the robot-api messages only. Every string has a maximum, so a hostile
 * client cannot make the robot parse megabytes into one field. The fields the platform and the
 * vault share (email, password, process name, description, secret value) are in ../fields.ts.
 */
import { z } from "zod";

/** An ISO-8601 timestamp as the robot writes it. */
export const TimestampSchema = z.string().max(40);

/** An opaque id (process, robot, run). */
export const OpaqueIdSchema = z.string().min(1).max(200);
