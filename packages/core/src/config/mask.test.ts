import { describe, expect, it } from "vitest";
import { loadCloudConfig } from "./load.js";
import { MASK, maskSecrets } from "./mask.js";

describe("maskSecrets", () => {
  it("masks passwords, tokens, secrets and inline private keys in a CloudConfig, and nothing else", () => {
    const text = `clouds:
  c:
    auth:
      auth_url: https://k/v3
      username: alice
      password: hunter2
      application_credential_id: ac
      application_credential_secret: s3cret
    key: /etc/ssl/me.key
    vendor_api_token: t0k
    ssh_private_key: |
      -----BEGIN OPENSSH PRIVATE KEY-----
      abc
    notes: "-----BEGIN RSA PRIVATE KEY----- xyz"
`;
    const config = loadCloudConfig({ sources: { clouds: { path: "/c.yaml", text } } });
    const masked = maskSecrets(config);
    expect(masked.auth).toEqual({
      authUrl: "https://k/v3",
      username: "alice",
      password: MASK,
      applicationCredentialId: "ac",
      applicationCredentialSecret: MASK,
    });
    expect(masked.tls.key).toBe("/etc/ssl/me.key");
    expect(masked.extra).toEqual({ vendor_api_token: MASK, ssh_private_key: MASK, notes: MASK });
    // The original is untouched.
    expect(config.auth.password).toBe("hunter2");
  });

  it("masks snake_case clouds.yaml shapes too, inside lists", () => {
    expect(maskSecrets({ auth: { token: "x", project_id: "p" }, list: [{ secret_key: "k" }], n: 1 })).toEqual(
      {
        auth: { token: MASK, project_id: "p" },
        list: [{ secret_key: MASK }],
        n: 1,
      },
    );
  });
});
