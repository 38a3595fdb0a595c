import type { NextFunction, Request, Response } from 'express'
import { verifyBearer } from '../ingest/verify-bearer.ts'

/** When `api.tokens` is set, every /api route needs `Authorization: Bearer <token>`. */
export function requireToken(tokens: readonly string[]) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (tokens.length === 0) return next()
    if (verifyBearer(req.headers.authorization, tokens)) return next()
    res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'unauthorized', message: 'this API needs "Authorization: Bearer <token>" with one of the tokens in api.tokens' })
  }
}
