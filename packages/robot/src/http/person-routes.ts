/**
 * What a person can do with the robot, declared ONCE and mounted on both servers: under
 * `/v1/manage` on the socket (the CLI, with the management token) and under `/api` in the
 * Secrets window (session cookie, Host, Origin and CSRF checked first). The actor in the audit
 * log is the server that carried the request ("cli" or "window"). Adding an operation is one
 * entry here plus its service method.
 *
 * | name             | method | path                      | service call  |
 * | ---------------- | ------ | ------------------------- | ------------- |
 * | status           | GET    | /status                   | status        |
 * | login            | POST   | /login {email, password}  | login         |
 * | logout           | POST   | /logout                   | logout        |
 * | sync             | POST   | /sync                     | syncNow       |
 * | secrets.list     | GET    | /secrets[?process=P]      | listSecrets   |
 * | secrets.set      | PUT    | /secrets/:name {value, allowShort?} | setSecret |
 * | secrets.unset    | DELETE | /secrets/:name            | unsetSecret   |
 * | secrets.reveal   | POST   | /secrets/:name/reveal     | revealSecret  |
 * | secrets.history  | GET    | /secrets/:name/history    | history       |
 * | secrets.restore  | POST   | /secrets/:name/restore {version} | restoreSecret |
 * | secrets.move     | POST   | /secrets/:name/move {to}  | moveSecret    |
 * | people.list      | GET    | /people                   | listPeople    |
 * | people.forget    | POST   | /people/forget {email}    | forgetPerson  |
 * | audit.list       | GET    | /audit[?limit&beforeSeq&type&name] | listAudit |
 * | audit.verify     | GET    | /audit/verify             | verifyAudit   |
 * | runs.list        | GET    | /runs[?limit]             | listRuns      |
 * | runs.show        | GET    | /runs/:runId              | showRun       |
 */
import {
  ForgetPersonRequestSchema,
  LocalAuditListQuerySchema,
  LocalLoginRequestSchema,
  LocalSecretsListQuerySchema,
  LocalSetSecretRequestSchema,
  MoveSecretRequestSchema,
  RestoreSecretRequestSchema,
  RunIdParamsSchema,
  RunListQuerySchema,
} from "@heptora/protocol";
import { z } from "zod";
import type { PersonFacingService } from "../service/robot-service.ts";
import { defineRoute, type Route } from "./route.ts";

/** A secret name as it arrives in a path; the service checks the rule and suggests fixes. */
const NameParams = z.strictObject({ name: z.string().min(1).max(200) });

export const PersonRoute = {
  Status: "status",
  Login: "login",
  Logout: "logout",
  Sync: "sync",
  SecretsList: "secrets.list",
  SecretsSet: "secrets.set",
  SecretsUnset: "secrets.unset",
  SecretsReveal: "secrets.reveal",
  SecretsHistory: "secrets.history",
  SecretsRestore: "secrets.restore",
  SecretsMove: "secrets.move",
  PeopleList: "people.list",
  PeopleForget: "people.forget",
  AuditList: "audit.list",
  AuditVerify: "audit.verify",
  RunsList: "runs.list",
  RunsShow: "runs.show",
} as const;

export function personRoutes(service: PersonFacingService): Route[] {
  return [
    defineRoute({
      name: PersonRoute.Status,
      method: "GET",
      path: "/status",
      summary: "The robot at a glance: sign-in, platform, sync, key protection, counts",
      handler: () => service.status(),
    }),
    defineRoute({
      name: PersonRoute.Login,
      method: "POST",
      path: "/login",
      summary: "Sign the robot in with the person's platform email and password, then sync",
      body: LocalLoginRequestSchema,
      handler: ({ body, actor }) => service.login(body, actor),
    }),
    defineRoute({
      name: PersonRoute.Logout,
      method: "POST",
      path: "/logout",
      summary: "Sign the robot out (values stay, sealed)",
      handler: ({ actor }) => service.logout(actor),
    }),
    defineRoute({
      name: PersonRoute.Sync,
      method: "POST",
      path: "/sync",
      summary: "Fetch what changed on the platform now",
      handler: () => service.syncNow(),
    }),
    defineRoute({
      name: PersonRoute.SecretsList,
      method: "GET",
      path: "/secrets",
      summary: "Declared names by process, set or not; never a value",
      query: LocalSecretsListQuerySchema,
      handler: ({ query }) =>
        service.listSecrets(query.process === undefined ? {} : { process: query.process }),
    }),
    defineRoute({
      name: PersonRoute.SecretsSet,
      method: "PUT",
      path: "/secrets/:name",
      summary: "Set a value (sealed in the vault, audited)",
      params: NameParams,
      body: LocalSetSecretRequestSchema,
      handler: ({ params, body, actor }) =>
        body.allowShort === true
          ? service.setSecret(params.name, body.value, actor, { allowShort: true })
          : service.setSecret(params.name, body.value, actor),
    }),
    defineRoute({
      name: PersonRoute.SecretsUnset,
      method: "DELETE",
      path: "/secrets/:name",
      summary: "Remove a value (its versions stay for restore)",
      params: NameParams,
      handler: ({ params, actor }) => service.unsetSecret(params.name, actor),
    }),
    defineRoute({
      name: PersonRoute.SecretsReveal,
      method: "POST",
      path: "/secrets/:name/reveal",
      summary: "A value for the person (audited before it is answered)",
      params: NameParams,
      handler: ({ params, actor }) => service.revealSecret(params.name, actor),
    }),
    defineRoute({
      name: PersonRoute.SecretsHistory,
      method: "GET",
      path: "/secrets/:name/history",
      summary: "A value's kept versions: numbers and dates, never values",
      params: NameParams,
      handler: ({ params }) => service.history(params.name),
    }),
    defineRoute({
      name: PersonRoute.SecretsRestore,
      method: "POST",
      path: "/secrets/:name/restore",
      summary: "Make a kept version current again",
      params: NameParams,
      body: RestoreSecretRequestSchema,
      handler: ({ params, body, actor }) => service.restoreSecret(params.name, body.version, actor),
    }),
    defineRoute({
      name: PersonRoute.SecretsMove,
      method: "POST",
      path: "/secrets/:name/move",
      summary: "Move a value no process declares any more, with its history, onto a declared name",
      params: NameParams,
      body: MoveSecretRequestSchema,
      handler: ({ params, body, actor }) => service.moveSecret(params.name, body.to, actor),
    }),
    defineRoute({
      name: PersonRoute.PeopleList,
      method: "GET",
      path: "/people",
      summary: "Whose values this robot holds (emails only)",
      handler: () => service.listPeople(),
    }),
    defineRoute({
      name: PersonRoute.PeopleForget,
      method: "POST",
      path: "/people/forget",
      summary: "Remove another person's values from this robot (never reveals them)",
      body: ForgetPersonRequestSchema,
      handler: ({ body, actor }) => service.forgetPerson(body.email, actor),
    }),
    defineRoute({
      name: PersonRoute.AuditList,
      method: "GET",
      path: "/audit",
      summary: "The robot's audit log, newest first",
      query: LocalAuditListQuerySchema,
      handler: ({ query }) => service.listAudit(query),
    }),
    defineRoute({
      name: PersonRoute.AuditVerify,
      method: "GET",
      path: "/audit/verify",
      summary: "Check the audit chain end to end",
      handler: () => service.verifyAudit(),
    }),
    defineRoute({
      name: PersonRoute.RunsList,
      method: "GET",
      path: "/runs",
      summary: "The person's recent runs, newest first (names and counts; never a value)",
      query: RunListQuerySchema,
      handler: ({ query }) => service.listRuns(query),
    }),
    defineRoute({
      name: PersonRoute.RunsShow,
      method: "GET",
      path: "/runs/:runId",
      summary: "Everything recorded for one of the person's runs",
      params: RunIdParamsSchema,
      handler: ({ params }) => service.showRun(params.runId),
    }),
  ];
}
