/** First run: no administrator exists yet, so the first visitor creates the organisation. */
import { Field } from "@heptora/web-kit";
import { useState } from "react";
import { useSession } from "../../lib/session.tsx";
import { AuthForm, AuthFrame, useAuthSubmit } from "./auth-frame.tsx";
import { EmailField, NewPasswordFields, useNewPassword } from "./credential-fields.tsx";

export function SetupPage() {
  const { completeSetup } = useSession();
  const [organization, setOrganization] = useState("");
  const [email, setEmail] = useState("");
  const newPassword = useNewPassword();
  const { password } = newPassword;
  const form = useAuthSubmit({
    check: () => {
      if (organization.trim() === "" || email.trim() === "" || password === "") {
        return "Fill in every field.";
      }
      return newPassword.mismatch;
    },
    action: () =>
      completeSetup({ organization: organization.trim(), email: email.trim(), password }),
  });

  return (
    <AuthFrame
      title="Set up Heptora"
      intro="Welcome. Create your organisation and its first administrator account."
    >
      <AuthForm {...form} label="Create organisation" busyLabel="Creating…">
        <Field
          label="Organisation name"
          autoComplete="organization"
          required
          maxLength={100}
          value={organization}
          onChange={(e) => setOrganization(e.target.value)}
        />
        <EmailField label="Administrator email" value={email} onChange={setEmail} />
        <NewPasswordFields label="Password" value={newPassword} />
      </AuthForm>
    </AuthFrame>
  );
}
