/** curl's --connect-to: reach HOST:PORT at CONNECT_HOST:CONNECT_PORT (parsed in src/inventory/connect-to.ts). */
export interface ConnectTo {
  /** Lowercase; matched case-insensitively; `*.suffix` matches every host under suffix. */
  host: string;
  port: number;
  /** Without brackets for IPv6, as net.connect wants it. */
  connectHost: string;
  connectPort: number;
}
