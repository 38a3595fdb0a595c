import type { NextFunction, Request, RequestHandler, Response } from 'express'

/**
 * Security headers on every answer. JSON and text answers get a CSP that
 * forbids everything (nothing in them should ever run or be framed); an HTML
 * page (the overview at `/`) gets PAGE_CSP unless its route sets its own.
 */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
/** Same-origin page with inline styles/scripts allowed (no build step for the overview page), nothing from elsewhere. */
export const PAGE_CSP =
  "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

const STATIC_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  'X-Permitted-Cross-Domain-Policies': 'none',
}

const STATIC_ENTRIES = Object.entries(STATIC_HEADERS)

export function securityHeaders(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    for (const [k, v] of STATIC_ENTRIES) res.setHeader(k, v)
    // Answers carrying delivery data or metrics are not for shared caches. (req.url, not Express's
    // req.path: the same prefix test without parsing the URL on every webhook.)
    if (req.url.startsWith('/api/')) res.setHeader('Cache-Control', 'no-store')
    const writeHead = res.writeHead
    res.writeHead = function (this: Response, ...args: unknown[]) {
      if (!res.getHeader('Content-Security-Policy')) {
        const type = String(res.getHeader('Content-Type') ?? '')
        res.setHeader('Content-Security-Policy', type.startsWith('text/html') ? PAGE_CSP : API_CSP)
      }
      return (writeHead as (...a: unknown[]) => Response).apply(this, args)
    } as Response['writeHead']
    next()
  }
}

/**
 * CORS is off unless server.cors.origins lists origins: then GET/HEAD of
 * /api/* and /openapi.json may be read cross-origin (with Authorization).
 * Webhooks never get CORS headers: no browser has a reason to post them.
 */
export function cors(origins: readonly string[]): RequestHandler {
  const any = origins.includes('*')
  const allowed = new Set(origins)
  return (req, res, next) => {
    if (origins.length === 0) return next()
    const origin = req.headers.origin
    const readable = req.path.startsWith('/api/') || req.path === '/openapi.json'
    if (!origin || !readable || !(any || allowed.has(origin))) return next()
    res.setHeader('Access-Control-Allow-Origin', any ? '*' : origin)
    res.setHeader('Vary', 'Origin')
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD')
      res.setHeader('Access-Control-Allow-Headers', 'Authorization')
      res.setHeader('Access-Control-Max-Age', '600')
      res.status(204).end()
      return
    }
    next()
  }
}

/**
 * A known path with a method it does not take: 405 with Allow (RFC 9110),
 * instead of falling through to the 404 of an unknown path.
 */
export function methodNotAllowed(routes: ReadonlyMap<string, readonly string[]>): RequestHandler {
  return (req, res, next) => {
    const methods = routes.get(req.path)
    if (!methods) return next()
    const allow = methods.includes('GET') ? [...methods, 'HEAD'] : [...methods]
    if (allow.includes(req.method)) return next()
    res.setHeader('Allow', allow.join(', '))
    res.status(405).json({ error: 'method_not_allowed', message: `${req.method} is not allowed on ${req.path}; allowed: ${allow.join(', ')}` })
  }
}
