import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Browser, startTestApp, type TestApp } from "../support/app.ts";
import { dialects } from "../support/dialects.ts";

for (const dialect of dialects()) {
  describe(`processes, variables and assignees on ${dialect.name}`, () => {
    let t: TestApp;
    let admin: Browser;
    let ana: Browser;
    let processId: string;
    before(async () => {
      t = await startTestApp(dialect);
      admin = await t.admin();
      ana = await t.member(admin, "ana@example.com");
      const created = await admin.request("POST", "/api/v1/processes", {
        name: "Invoice Processing",
        description: "Posts invoices to SAP",
      });
      assert.equal(created.statusCode, 201);
      processId = created.json().id;
    });
    after(() => t.close());

    it("creates a process and refuses a second one with the same name in any case", async () => {
      const created = await admin.request("POST", "/api/v1/processes", { name: "  Payroll  " });
      assert.equal(created.statusCode, 201);
      const body = created.json();
      assert.equal(body.name, "Payroll");
      assert.equal(body.description, "");
      assert.deepEqual(body.variables, []);
      assert.deepEqual(body.assigneeIds, []);
      const dup = await admin.request("POST", "/api/v1/processes", { name: "payroll" });
      assert.equal(dup.statusCode, 409);
      assert.equal(dup.json().error.code, "process_name_taken");
    });

    it("renames and describes a process", async () => {
      const created = await admin.request("POST", "/api/v1/processes", { name: "Old name" });
      const id = created.json().id;
      const renamed = await admin.request("PATCH", `/api/v1/processes/${id}`, {
        name: "New name",
        description: "Now described",
      });
      assert.equal(renamed.statusCode, 200);
      assert.equal(renamed.json().name, "New name");
      assert.equal(renamed.json().description, "Now described");
      const clash = await admin.request("PATCH", `/api/v1/processes/${id}`, {
        name: "invoice processing",
      });
      assert.equal(clash.statusCode, 409);
      assert.equal(clash.json().error.code, "process_name_taken");
      const got = await admin.request("GET", `/api/v1/processes/${id}`);
      assert.equal(got.json().name, "New name");
    });

    it("declares variables, suggesting the fixed name for a bad one", async () => {
      const user = await admin.request("POST", `/api/v1/processes/${processId}/variables`, {
        name: "SAP_USER",
        secret: false,
        description: "Login name",
      });
      assert.equal(user.statusCode, 201);
      const { id: userVariableId, ...declared } = user.json();
      assert.match(userVariableId, /^[0-9a-f-]{32,36}$/);
      assert.deepEqual(declared, { name: "SAP_USER", secret: false, description: "Login name" });
      const bad = await admin.request("POST", `/api/v1/processes/${processId}/variables`, {
        name: "sap password",
        secret: true,
      });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().error.code, "invalid_secret_name");
      assert.match(bad.json().error.message, /'SAP_PASSWORD'/);
      const good = await admin.request("POST", `/api/v1/processes/${processId}/variables`, {
        name: "SAP_PASSWORD",
        secret: true,
      });
      assert.equal(good.statusCode, 201);
      const dup = await admin.request("POST", `/api/v1/processes/${processId}/variables`, {
        name: "SAP_PASSWORD",
        secret: true,
      });
      assert.equal(dup.statusCode, 409);
      assert.equal(dup.json().error.code, "variable_name_taken");
      const process = (await admin.request("GET", `/api/v1/processes/${processId}`)).json();
      assert.deepEqual(
        process.variables.map((v: { name: string }) => v.name),
        ["SAP_USER", "SAP_PASSWORD"],
      );
      assert.equal(process.variables[0].id, userVariableId);
      assert.notEqual(process.variables[1].id, userVariableId);
    });

    it("never suggests a name the process already has, adding or renaming", async () => {
      const taken = await admin.request("POST", `/api/v1/processes/${processId}/variables`, {
        name: "sap password",
        secret: true,
      });
      assert.equal(taken.statusCode, 400);
      const error = taken.json().error;
      assert.equal(error.code, "invalid_secret_name");
      assert.match(error.message, /'sap password' is not a valid variable name/);
      assert.doesNotMatch(error.message, /Did you mean/);
      assert.doesNotMatch(JSON.stringify(error.details), /Did you mean/);
      const renamed = await admin.request(
        "PATCH",
        `/api/v1/processes/${processId}/variables/SAP_PASSWORD`,
        { name: "sap user" },
      );
      assert.equal(renamed.statusCode, 400);
      assert.equal(renamed.json().error.code, "invalid_secret_name");
      assert.doesNotMatch(renamed.json().error.message, /SAP_USER/);
      // A free name is still suggested.
      const free = await admin.request("POST", `/api/v1/processes/${processId}/variables`, {
        name: "sap client",
      });
      assert.match(free.json().error.message, /Did you mean 'SAP_CLIENT'\?/);
      // Another process's names are not this one's.
      const other = await admin.request("POST", "/api/v1/processes", { name: "Other process" });
      assert.equal(other.statusCode, 201);
      const elsewhere = await admin.request(
        "POST",
        `/api/v1/processes/${other.json().id}/variables`,
        { name: "sap password" },
      );
      assert.match(elsewhere.json().error.message, /Did you mean 'SAP_PASSWORD'\?/);
    });

    it("rejects a value smuggled into a variable with 400 and stores nothing", async () => {
      const response = await admin.request("POST", `/api/v1/processes/${processId}/variables`, {
        name: "API_KEY",
        secret: true,
        value: "s3cr3t-value",
      });
      assert.equal(response.statusCode, 400);
      assert.doesNotMatch(response.body, /s3cr3t-value/);
      const process = (await admin.request("GET", `/api/v1/processes/${processId}`)).json();
      assert.ok(!process.variables.some((v: { name: string }) => v.name === "API_KEY"));
    });

    it("renames a variable, flips its secret flag, and deletes it", async () => {
      const created = await admin.request("POST", `/api/v1/processes/${processId}/variables`, {
        name: "TEMP_VAR",
        secret: false,
      });
      const id = created.json().id;
      const patched = await admin.request(
        "PATCH",
        `/api/v1/processes/${processId}/variables/TEMP_VAR`,
        { name: "TEMP_TOKEN", secret: true, description: "d" },
      );
      assert.equal(patched.statusCode, 200);
      // The rename keeps the variable's id (robots move their values with it).
      assert.deepEqual(patched.json(), { id, name: "TEMP_TOKEN", secret: true, description: "d" });
      const badRename = await admin.request(
        "PATCH",
        `/api/v1/processes/${processId}/variables/TEMP_TOKEN`,
        { name: "temp token" },
      );
      assert.equal(badRename.statusCode, 400);
      assert.equal(badRename.json().error.code, "invalid_secret_name");
      const missing = await admin.request(
        "DELETE",
        `/api/v1/processes/${processId}/variables/TEMP_TOKN`,
      );
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.json().error.code, "variable_not_found");
      assert.match(missing.json().error.hint, /TEMP_TOKEN/);
      const removed = await admin.request(
        "DELETE",
        `/api/v1/processes/${processId}/variables/TEMP_TOKEN`,
      );
      assert.equal(removed.statusCode, 204);
    });

    it("shows members only the processes assigned to them", async () => {
      assert.deepEqual((await ana.request("GET", "/api/v1/processes")).json(), { processes: [] });
      const hidden = await ana.request("GET", `/api/v1/processes/${processId}`);
      assert.equal(hidden.statusCode, 404);
      assert.equal(hidden.json().error.code, "process_not_found");
      const assigned = await admin.request("PUT", `/api/v1/processes/${processId}/assignees`, {
        userIds: [ana.user.id, ana.user.id],
      });
      assert.equal(assigned.statusCode, 200);
      assert.deepEqual(assigned.json(), { userIds: [ana.user.id] });
      const list = (await ana.request("GET", "/api/v1/processes")).json();
      assert.deepEqual(
        list.processes.map((p: { name: string }) => p.name),
        ["Invoice Processing"],
      );
      const one = await ana.request("GET", `/api/v1/processes/${processId}`);
      assert.equal(one.statusCode, 200);
      assert.deepEqual(one.json().assigneeIds, [ana.user.id]);
    });

    it("refuses assignment to an unknown user (422 naming it) and changes nothing", async () => {
      const response = await admin.request("PUT", `/api/v1/processes/${processId}/assignees`, {
        userIds: [ana.user.id, "no-such-user"],
      });
      assert.equal(response.statusCode, 422);
      assert.equal(response.json().error.code, "users_not_found");
      assert.deepEqual(response.json().error.details.userIds, ["no-such-user"]);
      assert.deepEqual(
        response.json().error.details.issues.map((i: { path: string }) => i.path),
        ["userIds.1"],
      );
      assert.match(response.json().error.message, /'no-such-user'/);
      const process = (await admin.request("GET", `/api/v1/processes/${processId}`)).json();
      assert.deepEqual(process.assigneeIds, [ana.user.id]);
    });

    it("lets only admins change processes (403 insufficient_permissions)", async () => {
      const attempts = [
        ana.request("POST", "/api/v1/processes", { name: "Mine" }),
        ana.request("PATCH", `/api/v1/processes/${processId}`, { name: "Hijacked" }),
        ana.request("DELETE", `/api/v1/processes/${processId}`),
        ana.request("POST", `/api/v1/processes/${processId}/variables`, {
          name: "X",
          secret: true,
        }),
        ana.request("PUT", `/api/v1/processes/${processId}/assignees`, { userIds: [] }),
      ];
      for (const response of await Promise.all(attempts)) {
        assert.equal(response.statusCode, 403);
        assert.equal(response.json().error.code, "insufficient_permissions");
      }
      const process = (await admin.request("GET", `/api/v1/processes/${processId}`)).json();
      assert.equal(process.name, "Invoice Processing");
    });

    it("deletes a process", async () => {
      const created = await admin.request("POST", "/api/v1/processes", { name: "Short-lived" });
      const id = created.json().id;
      assert.equal((await admin.request("DELETE", `/api/v1/processes/${id}`)).statusCode, 204);
      const gone = await admin.request("GET", `/api/v1/processes/${id}`);
      assert.equal(gone.statusCode, 404);
      assert.equal((await admin.request("DELETE", `/api/v1/processes/${id}`)).statusCode, 404);
    });
  });
}
