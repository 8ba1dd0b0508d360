/**
 * Argon2id password hashes (node:crypto, async on the libuv pool so the event loop never
 * blocks), stored in the PHC string format so the parameters travel with each hash:
 * `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>` (base64 without padding).
 *
 * Parameters: OWASP's first recommended Argon2id set (19 MiB, 2 passes, 1 lane).
 */
import { argon2, randomBytes, timingSafeEqual } from "node:crypto";

export interface Argon2Params {
  readonly memory: number;
  readonly passes: number;
  readonly parallelism: number;
}

export const PASSWORD_HASH_PARAMS: Argon2Params = { memory: 19_456, passes: 2, parallelism: 1 };
const TAG_LENGTH = 32;
const SALT_LENGTH = 16;

function derive(password: string, salt: Buffer, params: Argon2Params, tagLength: number) {
  return new Promise<Buffer>((resolve, reject) => {
    argon2("argon2id", { message: password, nonce: salt, tagLength, ...params }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

const b64 = (buffer: Buffer) => buffer.toString("base64").replace(/=+$/, "");

export async function hashPassword(
  password: string,
  params: Argon2Params = PASSWORD_HASH_PARAMS,
): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const hash = await derive(password, salt, params, TAG_LENGTH);
  const { memory: m, passes: t, parallelism: p } = params;
  return `$argon2id$v=19$m=${m},t=${t},p=${p}$${b64(salt)}$${b64(hash)}`;
}

const PHC =
  /^\$argon2id\$v=19\$m=(\d{1,7}),t=(\d{1,3}),p=(\d{1,2})\$([A-Za-z0-9+/]{11,})\$([A-Za-z0-9+/]{22,})$/;

/** True when `password` matches `stored`; false for a wrong password or an unreadable hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = PHC.exec(stored);
  if (match === null) return false;
  const [, m, t, p, salt, hash] = match;
  const expected = Buffer.from(hash ?? "", "base64");
  const params = { memory: Number(m), passes: Number(t), parallelism: Number(p) };
  const actual = await derive(password, Buffer.from(salt ?? "", "base64"), params, expected.length);
  return timingSafeEqual(actual, expected);
}

/**
 * A hash of a random password, verified when the email is unknown so that an unknown account
 * costs the same time as a known one.
 */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString("hex"));
  return decoy;
}
