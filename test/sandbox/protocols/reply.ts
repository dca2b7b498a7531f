/** A response ready to write: the protocol writers produce these, the server sends them. */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}
