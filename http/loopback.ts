import net from 'node:net'
import type { Request } from 'express'
import { forbidden } from './errors.ts'

/** 127.0.0.0/8, ::1 and IPv4-mapped 127.x. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false
  const a = address.toLowerCase()
  if (a === '::1' || a === '0:0:0:0:0:0:0:1') return true
  const v4 = a.startsWith('::ffff:') ? a.slice(7) : a
  return net.isIPv4(v4) && v4.startsWith('127.')
}

/**
 * With no secret configured a source is unauthenticated, so it is only taken
 * from this machine. Uses the socket's peer address, not req.ip: a forwarded
 * header must not turn a remote caller into "loopback".
 */
export function requireLoopback(req: Request, what: string, configKey: string): void {
  if (isLoopback(req.socket.remoteAddress)) return
  throw forbidden(`${what} is unauthenticated because no secret is configured, so it is accepted from loopback only; configure ${configKey} to accept it from other hosts`)
}
