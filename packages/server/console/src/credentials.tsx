import { useState } from "preact/hooks";
import type { Credentials } from "./api.js";

/**
 * Asks for the caller's keystone token or application credential (deployer mode). They are kept
 * in the tab's memory only (api.ts) and sent as metadata on every call.
 */
export function CredentialsForm({
  remembered,
  onChange,
}: {
  readonly remembered: boolean;
  readonly onChange: (credentials: Credentials | undefined) => void;
}) {
  const [kind, setKind] = useState<Credentials["kind"]>("token");
  const [token, setToken] = useState("");
  const [id, setId] = useState("");
  const [secret, setSecret] = useState("");
  const submit = (event: Event) => {
    event.preventDefault();
    onChange(kind === "token" ? { kind, token: token.trim() } : { kind, id: id.trim(), secret });
    setToken("");
    setSecret("");
  };
  return (
    <form class="credentials" aria-labelledby="credentials-title" onSubmit={submit}>
      <h2 id="credentials-title">Your OpenStack credentials</h2>
      <p>
        This oaktree acts with each caller's own credentials. They stay in this tab's memory (not in storage
        or cookies) and are sent with every call.
      </p>
      <fieldset>
        <legend>Kind</legend>
        <label class="check">
          <input type="radio" name="kind" checked={kind === "token"} onChange={() => setKind("token")} />{" "}
          Keystone token
        </label>
        <label class="check">
          <input
            type="radio"
            name="kind"
            checked={kind === "application-credential"}
            onChange={() => setKind("application-credential")}
          />{" "}
          Application credential
        </label>
      </fieldset>
      {kind === "token" ? (
        <div class="field">
          <label for="credential-token">Token</label>
          <input
            id="credential-token"
            type="password"
            required
            autoComplete="off"
            value={token}
            onInput={(event) => setToken(event.currentTarget.value)}
          />
        </div>
      ) : (
        <>
          <div class="field">
            <label for="credential-id">Application credential ID</label>
            <input
              id="credential-id"
              required
              autoComplete="off"
              value={id}
              onInput={(event) => setId(event.currentTarget.value)}
            />
          </div>
          <div class="field">
            <label for="credential-secret">Application credential secret</label>
            <input
              id="credential-secret"
              type="password"
              required
              autoComplete="off"
              value={secret}
              onInput={(event) => setSecret(event.currentTarget.value)}
            />
          </div>
        </>
      )}
      <button type="submit">Use these credentials</button>{" "}
      {remembered && (
        <button type="button" onClick={() => onChange(undefined)}>
          Forget them
        </button>
      )}
    </form>
  );
}
