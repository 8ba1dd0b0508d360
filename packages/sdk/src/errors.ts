/**
 * The one error the SDK throws. Its `code` is stable (compare codes, never message text); its
 * `message` is the robot's own message, as the robot wrote it for the person running the
 * automation; what to do about it, when the robot says, is on `hint`. A message never carries a
 * secret value or a run token.
 *
 * @example
 * try {
 *   await getSecret("SAP_USR");
 * } catch (error) {
 *   if (error instanceof HeptoraSecretError && error.code === "secret_not_declared") {
 *     console.error(error.message); // "... does not declare 'SAP_USR'. Did you mean 'SAP_USER'?"
 *   }
 *   throw error;
 * }
 */
import type { ErrorCode } from "./robot-error-codes.ts";

/** Codes the SDK raises itself, before or instead of an answer from the robot. */
export const SdkErrorCodes = {
  /** HEPTORA_ROBOT_SOCKET or HEPTORA_RUN_TOKEN is not set: not started by `heptora run`. */
  NotInARun: "not_in_a_run",
  /**
   * The name breaks the rule ^[A-Z][A-Z0-9_]{0,63}$; nothing was sent. The same code as the
   * robot, the platform and the vault (`invalid_name` until 0.1: see docs/errors.md).
   */
  InvalidName: "invalid_secret_name",
  /** Nothing listens on the socket (ENOENT, ECONNREFUSED). Same code the robot's CLI uses. */
  RobotNotRunning: "robot_not_running",
  /** The socket exists but talking to it failed otherwise (permissions, reset connection). */
  RobotUnreachable: "robot_unreachable",
  /** The robot did not answer in time. */
  RobotTimeout: "robot_timeout",
  /** The robot answered something that is not the documented JSON. */
  BadResponse: "bad_response",
} as const;
export type SdkErrorCode = (typeof SdkErrorCodes)[keyof typeof SdkErrorCodes];

/**
 * Every code a caller may see: the robot's (from the protocol catalogue), the SDK's own, and any
 * code a newer robot may add (hence the open `string`).
 */
export type HeptoraSecretErrorCode = ErrorCode | SdkErrorCode | (string & {});

export interface HeptoraSecretErrorOptions {
  /** HTTP status of the robot's answer; undefined when the robot never answered. */
  status?: number | undefined;
  /** What the user can do about it, as sent by the robot (already part of `message`). */
  hint?: string | undefined;
  cause?: unknown;
}

export class HeptoraSecretError extends Error {
  readonly code: HeptoraSecretErrorCode;
  readonly status: number | undefined;
  readonly hint: string | undefined;

  constructor(
    code: HeptoraSecretErrorCode,
    message: string,
    options: HeptoraSecretErrorOptions = {},
  ) {
    // The robot's message as it is (design: the SDK raises the robot's message); what to do
    // about it, when the robot says, is on `hint`.
    super(message, { cause: options.cause });
    this.name = "HeptoraSecretError";
    this.code = code;
    this.status = options.status;
    this.hint = options.hint;
  }
}
