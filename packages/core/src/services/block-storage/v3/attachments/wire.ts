/** One attachment record (volume microversion 3.27+). */
export interface AttachmentWire {
  readonly id: string;
  readonly volume_id: string;
  /** The server id. */
  readonly instance: string | null;
  /** reserved, attaching, attached, detached, ... */
  readonly status: string;
  readonly attach_mode?: "rw" | "ro" | null;
  readonly attached_at?: string | null;
  readonly detached_at?: string | null;
  readonly connection_info?: Readonly<Record<string, unknown>> | null;
}

/** The host-side description of where a volume is to be attached (os-brick's connector). */
export type ConnectorWire = Readonly<Record<string, unknown>>;

/** Body of `POST /attachments` (inside `{"attachment": ...}`). */
export interface AttachmentCreateWire {
  readonly volume_uuid: string;
  readonly instance_uuid?: string;
  readonly connector?: ConnectorWire;
  /** Microversion 3.54. */
  readonly mode?: "rw" | "ro";
}
