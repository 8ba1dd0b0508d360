/**
 * The robot's folders must be its user's alone (docs/adr/0073). Whoever owns the data dir, or can
 * write to it, can put their own socket where the CLI looks for the daemon and collect the
 * management token, the values `secrets set` sends and the platform password `login` sends; or
 * read and replace the vault's files. The same holds for the key file's folder, and for any folder
 * above them that someone else could rename and replace (a writable parent without the sticky bit).
 *
 * What is checked, on POSIX, for each folder given (the data dir, which holds the socket and the
 * management token, and the key file's folder) and every folder above it up to `/`:
 * - the folder itself, if it exists: a directory, owned by the current user, not writable by group
 *   or others (the robot creates it 0700);
 * - each existing folder above: owned by the current user or root, and not writable by others
 *   unless the sticky bit is set (as on /tmp), nor by its group unless that group is the current
 *   user's own primary group.
 * Symbolic links are followed (the real folder is what counts). On Windows this returns nothing:
 * folders under the user's profile are protected by their ACLs, which this does not read.
 *
 * @example
 * const problem = privateDirProblem("/srv/robot", "data dir");
 * if (problem) throw new Error(problem);
 */
const { statSync } = process.getBuiltinModule("node:fs");
const { dirname, resolve } = process.getBuiltinModule("node:path");

export interface Identity {
  uid: number;
  gid: number;
}

function currentIdentity(): Identity | undefined {
  if (typeof process.getuid !== "function" || typeof process.getgid !== "function") return;
  return { uid: process.getuid(), gid: process.getgid() };
}

function modeText(mode: number): string {
  return `0${(mode & 0o7777).toString(8).padStart(3, "0")}`;
}

function statOrUndefined(path: string) {
  try {
    return statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw error;
  }
}

/**
 * Why `dir` is not safe for the robot (one sentence with what to do), or undefined when it is.
 * `what` names it for the person: "data dir", "key file's folder".
 */
export function privateDirProblem(
  dir: string,
  what: string,
  identity: Identity | undefined = currentIdentity(),
): string | undefined {
  if (identity === undefined) return undefined;
  const path = resolve(dir);
  const own = statOrUndefined(path);
  if (own !== undefined) {
    if (!own.isDirectory()) {
      return `The robot's ${what} ${path} is not a folder. Choose another path.`;
    }
    if (own.uid !== identity.uid) {
      return `The robot's ${what} ${path} belongs to another user (uid ${own.uid}; you are uid ${identity.uid}): that user could pose as the robot and collect its token, values and your platform password. Use a folder of your own (remove this one, or choose another path), or have an administrator run: chown ${identity.uid} '${path}' && chmod 700 '${path}'.`;
    }
    if ((own.mode & 0o022) !== 0) {
      return `The robot's ${what} ${path} can be written by other users (mode ${modeText(own.mode)}): they could pose as the robot and collect its token, values and your platform password. Run: chmod 700 '${path}', then start again.`;
    }
  }
  let child = path;
  let parent = dirname(path);
  while (parent !== child) {
    const stats = statOrUndefined(parent);
    if (stats !== undefined) {
      const problem = parentProblem(parent, stats, identity, what, path);
      if (problem !== undefined) return problem;
    }
    child = parent;
    parent = dirname(parent);
  }
  return undefined;
}

function parentProblem(
  parent: string,
  stats: { uid: number; gid: number; mode: number },
  identity: Identity,
  what: string,
  path: string,
): string | undefined {
  if (stats.uid !== identity.uid && stats.uid !== 0) {
    return `The folder ${parent}, above the robot's ${what} ${path}, belongs to another user (uid ${stats.uid}), who could replace what is inside it. Choose a ${what} in a folder of your own.`;
  }
  const sticky = (stats.mode & 0o1000) !== 0;
  const othersWrite = (stats.mode & 0o002) !== 0 && !sticky;
  const groupWrite = (stats.mode & 0o020) !== 0 && !sticky && stats.gid !== identity.gid;
  if (othersWrite || groupWrite) {
    return `The folder ${parent}, above the robot's ${what} ${path}, can be written by other users (mode ${modeText(stats.mode)}), who could replace what is inside it. Run: chmod go-w '${parent}', or choose a ${what} in a folder of your own.`;
  }
  return undefined;
}
