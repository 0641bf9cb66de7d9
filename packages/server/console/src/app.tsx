import { useCallback, useEffect, useState } from "preact/hooks";
import type { CloudInfo } from "../../src/gen/oaktree/v1/cloud_pb.js";
import { api, credentialsKind, placeKey, placeOfCloud, setCredentials } from "./api.js";
import { NeedCredentials } from "./auth.js";
import { BootForm } from "./boot-form.js";
import { CloudsPanel } from "./clouds.js";
import { CredentialsForm } from "./credentials.js";
import { ErrorView } from "./error-view.js";
import { type ApiErrorView, describeError, isUnauthenticated } from "./errors.js";
import { SavingsPanel } from "./savings.js";
import { ServersPanel } from "./servers.js";

/** The console: clouds, the live server table of one place with the boot form, and the savings chart. */
export function App() {
  // Bumped when credentials change: every panel reloads with them.
  const [generation, setGeneration] = useState(0);
  const [askCredentials, setAskCredentials] = useState(false);
  const [clouds, setClouds] = useState<CloudInfo[]>();
  const [error, setError] = useState<ApiErrorView>();
  const [placeId, setPlaceId] = useState<string>();
  const needCredentials = useCallback(() => setAskCredentials(true), []);

  useEffect(() => {
    const abort = new AbortController();
    api.clouds
      .listClouds({}, { signal: abort.signal })
      .then(({ clouds }) => {
        setClouds(clouds);
        setError(undefined);
        const preferred = clouds.find((cloud) => cloud.isDefault) ?? clouds[0];
        setPlaceId((current) => current ?? (preferred && placeKey(placeOfCloud(preferred))));
      })
      .catch((caught: unknown) => {
        if (abort.signal.aborted) return;
        if (isUnauthenticated(caught)) setAskCredentials(true);
        setError(describeError(caught));
      });
    return () => abort.abort();
  }, [generation]);

  const places = (clouds ?? []).map(placeOfCloud);
  const place = places.find((candidate) => placeKey(candidate) === placeId);
  return (
    <NeedCredentials.Provider value={needCredentials}>
      <a class="skip" href="#servers">
        Skip to servers
      </a>
      <header>
        <h1>oaktree console</h1>
        {place && (
          <div class="place">
            <label for="place">Location</label>
            <select id="place" value={placeId} onChange={(event) => setPlaceId(event.currentTarget.value)}>
              {places.map((candidate) => (
                <option key={placeKey(candidate)} value={placeKey(candidate)}>
                  {placeKey(candidate)}
                </option>
              ))}
            </select>
          </div>
        )}
      </header>
      <main>
        {askCredentials ? (
          <CredentialsForm
            remembered={credentialsKind() !== undefined}
            onChange={(credentials) => {
              setCredentials(credentials);
              setAskCredentials(credentials === undefined);
              setGeneration((n) => n + 1);
            }}
          />
        ) : (
          credentialsKind() && (
            <p class="signed-in">
              Acting with your {credentialsKind() === "token" ? "keystone token" : "application credential"},
              kept in this tab only.{" "}
              <button type="button" onClick={() => setAskCredentials(true)}>
                Change
              </button>{" "}
              <button
                type="button"
                onClick={() => {
                  setCredentials(undefined);
                  setAskCredentials(true);
                  setGeneration((n) => n + 1);
                }}
              >
                Forget them
              </button>
            </p>
          )
        )}
        {error && <ErrorView error={error} label="Listing the clouds failed" />}
        {clouds && <CloudsPanel key={generation} clouds={clouds} />}
        {place && (
          <section id="servers" aria-labelledby="servers-title" tabIndex={-1}>
            <h2 id="servers-title">Servers in {placeKey(place)}</h2>
            <BootForm key={`${placeKey(place)}#${generation}`} place={place} />
            <ServersPanel key={`${placeKey(place)}#${generation}`} place={place} />
          </section>
        )}
        <SavingsPanel />
      </main>
    </NeedCredentials.Provider>
  );
}
