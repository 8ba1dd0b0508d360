/**
 * @heptora/web-kit: what the platform web app and the robot's Secrets window share, so that each
 * piece of UI exists once. The base stylesheet is a separate export: `@heptora/web-kit/styles.css`.
 *
 * @example
 * import { ConfirmDialog, Field, Loading } from "@heptora/web-kit";
 * import "@heptora/web-kit/styles.css";
 */
export {
  type ApiClient,
  type ApiClientOptions,
  type ApiErrorClass,
  createApiClient,
  type Method,
  type RequestOptions,
  seg,
} from "./api-client.ts";
export { ApiError, messageOf } from "./api-error.ts";
export { Badge, type BadgeLook, type BadgeTone, outcomeTone } from "./badge.tsx";
export { type Column, DataTable } from "./data-table.tsx";
export { ConfirmDialog, Dialog, FormDialog } from "./dialog.tsx";
export { describedBy, Field, FieldNotes, Select } from "./field.tsx";
export { exactTime, plural, timeAgo } from "./format.ts";
export {
  IconAlert,
  IconAudit,
  IconCheck,
  IconLock,
  IconSearch,
  IconSignOut,
  Logo,
  Svg,
} from "./icons.tsx";
export { LoadMore } from "./load-more.tsx";
export { NoticeProvider, type NoticeTone, type Notify, useNotify } from "./notices.tsx";
export { PageHeader } from "./page-header.tsx";
export { Link, matchPath, navigate, usePathname } from "./router.tsx";
export { inSection, SectionLink, SectionNav } from "./section-nav.tsx";
export { AppShell, useProduct } from "./shell.tsx";
export { Empty, ErrorState, FormError, Loading } from "./states.tsx";
export { TimeAgo } from "./time-ago.tsx";
export { type Action, useAction } from "./use-action.ts";
export { type PagedResource, type Paging, usePagedResource } from "./use-paged-resource.ts";
export { type Resource, useResource } from "./use-resource.ts";
