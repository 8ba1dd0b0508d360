/**
 * The codes a robot may answer with: the protocol catalogue's `ErrorCode`. In the repository this
 * re-exports the catalogue's type; the published package (`npm run package`,
 * scripts/package/ts-sdk.ts) replaces this file's declaration with the list of codes written out,
 * so `@heptora/sdk` depends on no unpublished package (docs/adr/0081-sdk-packages.md).
 */
export type { ErrorCode } from "@heptora/protocol";
