/**
 * Files carried inside the self-contained `heptora` executable (a Node.js single executable
 * application, see docs/adr/0082): the web app's build is stored there as SEA assets under
 * a prefix, so the executable reads nothing from a repository or an install folder. Outside an
 * executable (npm start, the tests) there are none and the web app is read from its folder as before.
 * (The robot has its own copy of these few lines: the two packages never import each other.)
 *
 * @example
 * const files = embeddedFiles("platform-web/"); // undefined when not running as the executable
 * files?.read("index.html"); // Buffer | undefined
 */

/** Read-only files by their relative path ("index.html", "assets/app-1234.js"). */
export interface EmbeddedFiles {
  read(relativePath: string): Buffer | undefined;
}

/** The assets under `prefix` when this process is the executable; otherwise undefined. */
export function embeddedFiles(prefix: string): EmbeddedFiles | undefined {
  const sea = process.getBuiltinModule("node:sea");
  if (sea === undefined || !sea.isSea()) return undefined;
  const keys = new Set(sea.getAssetKeys().filter((key) => key.startsWith(prefix)));
  if (keys.size === 0) return undefined;
  return {
    read(relativePath) {
      const key = prefix + relativePath;
      return keys.has(key) ? Buffer.from(sea.getAsset(key)) : undefined;
    },
  };
}
