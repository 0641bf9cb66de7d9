import type { ComponentChildren } from "preact";
import { useContext, useEffect, useState } from "preact/hooks";
import { Stage } from "../../src/gen/oaktree/v1/common_pb.js";
import type { Flavor } from "../../src/gen/oaktree/v1/flavor_pb.js";
import type { Image } from "../../src/gen/oaktree/v1/image_pb.js";
import type { Network } from "../../src/gen/oaktree/v1/network_pb.js";
import type { CreateServerResponse } from "../../src/gen/oaktree/v1/server_pb.js";
import { api, locationOf, type Place } from "./api.js";
import { NeedCredentials } from "./auth.js";
import { ErrorView } from "./error-view.js";
import { type ApiErrorView, describeError, isUnauthenticated } from "./errors.js";
import { progressText } from "./progress.js";

/** The boot form's choices of network: the cloud's default, get-me-a-network, or one network. */
const CLOUD_DEFAULT = "";
const AUTOMATIC = "auto";

interface Choices {
  readonly images: readonly Image[];
  readonly flavors: readonly Flavor[];
  readonly networks: readonly Network[];
}

type Run =
  | { readonly kind: "idle" }
  | { readonly kind: "running"; readonly steps: readonly string[] }
  | { readonly kind: "done"; readonly steps: readonly string[]; readonly last: CreateServerResponse }
  | { readonly kind: "failed"; readonly steps: readonly string[]; readonly error: ApiErrorView };

/** Boots a server with CreateServer and renders its streamed progress to ACTIVE and its address. */
export function BootForm({ place }: { readonly place: Place }) {
  const needCredentials = useContext(NeedCredentials);
  const [choices, setChoices] = useState<Choices>();
  const [loadError, setLoadError] = useState<ApiErrorView>();
  const [name, setName] = useState("");
  const [image, setImage] = useState("");
  const [flavor, setFlavor] = useState("");
  const [network, setNetwork] = useState(CLOUD_DEFAULT);
  const [autoIp, setAutoIp] = useState(true);
  const [run, setRun] = useState<Run>({ kind: "idle" });

  useEffect(() => {
    const abort = new AbortController();
    const location = locationOf(place);
    const options = { signal: abort.signal };
    Promise.all([
      api.images.listImages({ location }, options),
      api.flavors.listFlavors({ location }, options),
      api.networks.listNetworks({ location }, options),
    ]).then(
      ([images, flavors, networks]) => {
        const byRam = [...flavors.flavors].sort((a, b) => a.ram - b.ram || a.name.localeCompare(b.name));
        const active = images.images.filter((candidate) => candidate.status === "active");
        setChoices({
          images: active,
          flavors: byRam,
          networks: networks.networks.filter((candidate) => !candidate.isRouterExternal),
        });
        setImage((current) => current || (active[0]?.id ?? ""));
        setFlavor((current) => current || (byRam[0]?.id ?? ""));
      },
      (caught: unknown) => {
        if (abort.signal.aborted) return;
        if (isUnauthenticated(caught)) needCredentials();
        setLoadError(describeError(caught));
      },
    );
    return () => abort.abort();
  }, [place.cloud, place.region, needCredentials]);

  const boot = async (event: Event) => {
    event.preventDefault();
    const steps: string[] = [];
    setRun({ kind: "running", steps });
    let last: CreateServerResponse | undefined;
    try {
      const responses = api.servers.createServer({
        location: locationOf(place),
        name: name.trim(),
        image,
        flavor,
        networks: network === CLOUD_DEFAULT ? [] : [network],
        autoIp,
        wait: true,
      });
      for await (const response of responses) {
        last = response;
        steps.push(progressText(response.progress));
        setRun({ kind: "running", steps: [...steps] });
      }
      if (last?.progress?.stage === Stage.DONE) setRun({ kind: "done", steps: [...steps], last });
      else throw new Error("the stream ended before the server was ready");
    } catch (caught) {
      if (isUnauthenticated(caught)) needCredentials();
      setRun({ kind: "failed", steps: [...steps], error: describeError(caught) });
    }
  };

  const running = run.kind === "running";
  return (
    <form class="boot" aria-labelledby="boot-title" onSubmit={boot}>
      <h3 id="boot-title">Boot a server</h3>
      {loadError && <ErrorView error={loadError} label="Loading images, flavors and networks failed" />}
      <div class="fields">
        <Field id="boot-name" label="Name">
          <input
            id="boot-name"
            name="name"
            required
            maxLength={255}
            autoComplete="off"
            value={name}
            onInput={(event) => setName(event.currentTarget.value)}
          />
        </Field>
        <SelectField id="boot-image" label="Image" name="image" required value={image} onChange={setImage}>
          {choices?.images.map((candidate) => (
            <option key={candidate.id} value={candidate.id}>
              {candidate.name || candidate.id}
            </option>
          ))}
        </SelectField>
        <SelectField
          id="boot-flavor"
          label="Flavor"
          name="flavor"
          required
          value={flavor}
          onChange={setFlavor}
        >
          {choices?.flavors.map((candidate) => (
            <option key={candidate.id} value={candidate.id}>
              {candidate.name} ({candidate.vcpus} vCPU, {candidate.ram} MiB)
            </option>
          ))}
        </SelectField>
        <SelectField id="boot-network" label="Network" name="network" value={network} onChange={setNetwork}>
          <option value={CLOUD_DEFAULT}>the cloud's default</option>
          <option value={AUTOMATIC}>automatic (get me a network)</option>
          {choices?.networks.map((candidate) => (
            <option key={candidate.id} value={candidate.id}>
              {candidate.name || candidate.id}
            </option>
          ))}
        </SelectField>
        <label class="check">
          <input
            type="checkbox"
            name="auto_ip"
            checked={autoIp}
            onChange={(event) => setAutoIp(event.currentTarget.checked)}
          />{" "}
          Reachable address (auto IP)
        </label>
        <button type="submit" disabled={running || !choices}>
          {running ? "Booting…" : "Boot"}
        </button>
      </div>
      <ol class="progress" aria-label="Boot progress" aria-live="polite">
        {run.kind !== "idle" && run.steps.map((step, i) => <li key={i}>{step}</li>)}
      </ol>
      {run.kind === "done" && <BootResult last={run.last} />}
      {run.kind === "failed" && <ErrorView error={run.error} label="Boot failed" />}
    </form>
  );
}

/** A labelled form field: `label` names the control `children`, whose id is `id`. */
function Field({
  id,
  label,
  children,
}: {
  readonly id: string;
  readonly label: string;
  readonly children: ComponentChildren;
}) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children}
    </div>
  );
}

/** A labelled drop-down whose options are `children`; `onChange` gets the chosen value. */
function SelectField({
  id,
  label,
  name,
  required = false,
  value,
  onChange,
  children,
}: {
  readonly id: string;
  readonly label: string;
  readonly name: string;
  readonly required?: boolean;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly children: ComponentChildren;
}) {
  return (
    <Field id={id} label={label}>
      <select
        id={id}
        name={name}
        required={required}
        value={value}
        onChange={(event) => onChange(event.currentTarget.value)}
      >
        {children}
      </select>
    </Field>
  );
}

function BootResult({ last }: { readonly last: CreateServerResponse }) {
  const server = last.server;
  return (
    <p class="result" role="status">
      <strong>{server?.name}</strong> is <span class="status status-active">{server?.status}</span>
      {last.reachability?.address ? (
        <>
          {" "}
          at <code class="address">{last.reachability.address}</code>
        </>
      ) : null}
      {last.floatingIp && <> (floating IP {last.floatingIp})</>}
      {last.existing && <> (an earlier call had booted it)</>}.{" "}
      <span class="muted">{last.reachability?.reason}</span>
    </p>
  );
}
