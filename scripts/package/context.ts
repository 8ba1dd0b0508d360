/** What every packaging step gets: where the repository is, where artefacts go, which version. */
export interface PackageContext {
  /** The repository root. */
  root: string;
  /** `dist/` under the root; created before the first step runs. */
  dist: string;
  /** The product version, from the root package.json. */
  version: string;
  /** Progress for people, on stderr. */
  log(line: string): void;
}

/** One packaging step: builds its artefacts into `dist` and returns their paths. */
export interface PackageStep {
  name: string;
  run(context: PackageContext): Promise<string[]>;
}
