import { useContext, useEffect, useState } from "preact/hooks";
import {
  AuthState,
  type Capabilities,
  type CloudInfo,
  FloatingIpModel,
  GetMeANetworkMethod,
  ImageUploadMethod,
} from "../../src/gen/oaktree/v1/cloud_pb.js";
import { api, locationOf, placeKey, placeOfCloud } from "./api.js";
import { NeedCredentials } from "./auth.js";
import { ErrorView } from "./error-view.js";
import { type ApiErrorView, describeError, isUnauthenticated } from "./errors.js";

const AUTH_TEXT: Record<AuthState, string> = {
  [AuthState.UNSPECIFIED]: "unknown",
  [AuthState.NOT_CONNECTED]: "not connected yet",
  [AuthState.AUTHENTICATED]: "authenticated",
  [AuthState.FAILED]: "failed",
};
const FLOATING_IP_TEXT: Record<FloatingIpModel, string> = {
  [FloatingIpModel.UNSPECIFIED]: "unknown",
  [FloatingIpModel.NEUTRON]: "neutron floating IPs",
  [FloatingIpModel.NOVA]: "nova-network floating IPs",
  [FloatingIpModel.NONE]: "none",
};
const NETWORK_TEXT: Record<GetMeANetworkMethod, string> = {
  [GetMeANetworkMethod.UNSPECIFIED]: "unknown",
  [GetMeANetworkMethod.NOVA_AUTO]: "nova networks: auto",
  [GetMeANetworkMethod.AUTO_ALLOCATED_TOPOLOGY]: "neutron auto-allocated topology",
  [GetMeANetworkMethod.BUILD]: "oaktree builds one",
  [GetMeANetworkMethod.NONE]: "not available",
};
const UPLOAD_TEXT: Record<ImageUploadMethod, string> = {
  [ImageUploadMethod.UNSPECIFIED]: "unknown",
  [ImageUploadMethod.V2_PUT]: "glance v2 PUT",
  [ImageUploadMethod.V2_IMPORT]: "glance v2 import",
  [ImageUploadMethod.V1_POST]: "glance v1",
  [ImageUploadMethod.TASK_IMPORT]: "task import via object storage",
};

type Loaded = Capabilities | { readonly error: ApiErrorView };

/** Every configured cloud x region: its auth state and what it can do (GetCapabilities). */
export function CloudsPanel({ clouds }: { readonly clouds: readonly CloudInfo[] }) {
  const needCredentials = useContext(NeedCredentials);
  const [capabilities, setCapabilities] = useState<Record<string, Loaded>>({});
  const [auth, setAuth] = useState<Record<string, CloudInfo>>({});

  useEffect(() => {
    const abort = new AbortController();
    const loads = clouds.map((cloud) => {
      const place = placeOfCloud(cloud);
      return api.clouds
        .getCapabilities({ location: locationOf(place) }, { signal: abort.signal })
        .then(({ capabilities }) => {
          if (capabilities) setCapabilities((all) => ({ ...all, [placeKey(place)]: capabilities }));
        })
        .catch((caught: unknown) => {
          if (abort.signal.aborted) return;
          if (isUnauthenticated(caught)) needCredentials();
          setCapabilities((all) => ({ ...all, [placeKey(place)]: { error: describeError(caught) } }));
        });
    });
    // Capabilities made oaktree authenticate with each cloud: one more listing shows the auth states.
    Promise.all(loads).then(() => {
      if (abort.signal.aborted) return;
      api.clouds.listClouds({}, { signal: abort.signal }).then(
        (answer) => setAuth(Object.fromEntries(answer.clouds.map((c) => [placeKey(placeOfCloud(c)), c]))),
        () => {},
      );
    });
    return () => abort.abort();
  }, [clouds, needCredentials]);

  return (
    <section aria-labelledby="clouds-title">
      <h2 id="clouds-title">Clouds</h2>
      <table class="clouds">
        <thead>
          <tr>
            <th scope="col">Cloud / region</th>
            <th scope="col">Project</th>
            <th scope="col">Auth</th>
            <th scope="col">Floating IPs</th>
            <th scope="col">Image upload</th>
            <th scope="col">Get me a network</th>
            <th scope="col">Microversions</th>
          </tr>
        </thead>
        <tbody>
          {clouds.map((listed) => {
            const key = placeKey(placeOfCloud(listed));
            const cloud = auth[key] ?? listed;
            const loaded = capabilities[key];
            return (
              <tr key={key} data-place={key}>
                <th scope="row">
                  {key}
                  {cloud.isDefault && <span class="badge">default</span>}
                </th>
                <td>{cloud.location?.project?.name || cloud.location?.project?.id || "—"}</td>
                <td class={`auth auth-${AuthState[cloud.authState]?.toLowerCase()}`}>
                  {AUTH_TEXT[cloud.authState]}
                  {cloud.error && <div class="muted">{cloud.error}</div>}
                </td>
                {loaded === undefined ? (
                  <td colSpan={4} class="muted">
                    loading capabilities…
                  </td>
                ) : "error" in loaded ? (
                  <td colSpan={4}>
                    <ErrorView error={loaded.error} label="Capabilities" />
                  </td>
                ) : (
                  <CapabilityCells capabilities={loaded} />
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

function CapabilityCells({ capabilities }: { readonly capabilities: Capabilities }) {
  const ranged = capabilities.services.filter((service) => service.microversions?.max);
  return (
    <>
      <td class="floating-ip" title={capabilities.floatingIpReason}>
        {FLOATING_IP_TEXT[capabilities.floatingIpModel]}
      </td>
      <td class="image-upload" title={capabilities.imageReason}>
        {capabilities.imageUploadMethods.map((method) => UPLOAD_TEXT[method]).join(", ") || "—"}
      </td>
      <td class="get-me-a-network" title={capabilities.getMeANetworkReason}>
        {NETWORK_TEXT[capabilities.getMeANetwork]}
      </td>
      <td class="microversions">
        <ul>
          {ranged.map((service) => (
            <li key={service.serviceType}>
              {service.serviceType} {service.microversions?.min}–{service.microversions?.max}
            </li>
          ))}
        </ul>
      </td>
    </>
  );
}
