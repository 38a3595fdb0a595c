import type { NextFunction, Request, Response } from 'express'
import { isLoopback } from '../http/loopback.ts'
import { verifyBearer } from '../http/bearer.ts'

/**
 * Bearer tokens for /api, in two scopes:
 * - read (`api.tokens`): GET and HEAD;
 * - admin (`api.adminTokens`): also every state-changing method (replay,
 *   annotations, whatever POST/PUT/PATCH/DELETE route is added under /api).
 * No token, or one we do not know: 401. A known read token on an admin
 * route: 403. Every comparison is constant-time (verify-bearer.ts) and every
 * configured token is compared, whichever matched.
 *
 * With no token configured at all, reads are open (the embedded default) and
 * admin routes are taken from loopback only, like unauthenticated webhooks.
 */
export type Scope = 'read' | 'admin'

export interface ApiAuthConfig {
  tokens: readonly string[]
  adminTokens?: readonly string[]
}

const AUTHENTICATED = Symbol.for('doraflow.api.authenticated')
type Marked = Request & { [AUTHENTICATED]?: Scope }

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export function scopeOf(authorization: string | undefined, api: ApiAuthConfig): Scope | null {
  const admin = verifyBearer(authorization, api.adminTokens ?? [])
  const read = verifyBearer(authorization, api.tokens)
  return admin ? 'admin' : read ? 'read' : null
}

function unauthorized(res: Response): void {
  res
    .status(401)
    .set('WWW-Authenticate', 'Bearer realm="doraflow"')
    .json({ error: 'unauthorized', message: 'this API needs "Authorization: Bearer <token>" with one of the configured tokens (api.tokens, api.adminTokens)' })
}

function forbidden(res: Response, why: string): void {
  res.status(403).set('WWW-Authenticate', 'Bearer realm="doraflow", error="insufficient_scope", scope="admin"').json({ error: 'forbidden', message: why })
}

/** The scope a request needs: reads are GET/HEAD/OPTIONS, anything else changes state. */
export const neededScope = (req: Request): Scope => (READ_METHODS.has(req.method) ? 'read' : 'admin')

/** Mounted on /api before the API router (server/start.ts): authenticates and enforces the scope. */
export function apiAuth(api: ApiAuthConfig) {
  const anyToken = api.tokens.length > 0 || (api.adminTokens?.length ?? 0) > 0
  return (req: Request, res: Response, next: NextFunction) => {
    const need = neededScope(req)
    if (!anyToken) {
      if (need === 'read' || isLoopback(req.socket.remoteAddress)) {
        ;(req as Marked)[AUTHENTICATED] = need
        return next()
      }
      return forbidden(res, 'no API token is configured, so state-changing /api routes are accepted from loopback only; configure api.adminTokens')
    }
    const scope = scopeOf(req.headers.authorization, api)
    if (scope === null) return unauthorized(res)
    if (need === 'admin' && scope !== 'admin') return forbidden(res, 'this route changes state and needs an admin token (api.adminTokens); a read-only token was given')
    ;(req as Marked)[AUTHENTICATED] = scope
    next()
  }
}

/** For a route handler: the scope the request was authenticated with, if apiAuth ran. */
export const requestScope = (req: Request): Scope | undefined => (req as Marked)[AUTHENTICATED]

/** Route-level guard for admin-only routes (defence in depth: apiAuth already enforces it by method). */
export function requireScope(scope: Scope) {
  return (req: Request, res: Response, next: NextFunction) => {
    const have = requestScope(req)
    if (have === 'admin' || have === scope) return next()
    if (have === undefined) return unauthorized(res)
    forbidden(res, `this route needs the ${scope} scope`)
  }
}

/**
 * When `api.tokens` is set, every /api route needs `Authorization: Bearer <token>`.
 * Kept for the API router used on its own; behind apiAuth (the server) it lets
 * through what apiAuth already authenticated, admin tokens included.
 */
export function requireToken(tokens: readonly string[]) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (requestScope(req) !== undefined) return next()
    if (tokens.length === 0) return next()
    if (verifyBearer(req.headers.authorization, tokens)) return next()
    unauthorized(res)
  }
}
