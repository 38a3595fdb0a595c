/** The HTTP kit shared by ingest and the API: errors as JSON, raw bodies, JSON objects, loopback, bearer tokens, hardening. */
export { HttpError, badRequest, forbidden, payloadTooLarge, sendError, sendInternalError, unauthorized, unavailable, unsupportedMediaType } from './errors.ts'
export { invalid, isObject, nonEmpty, parseJsonObject, str, type JsonObject } from './json.ts'
export { checkContentLength, decodeUtf8, header, isValidUtf8, mediaType, readRawBody } from './raw-body.ts'
export { isLoopback, requireLoopback } from './loopback.ts'
export { verifyBearer } from './bearer.ts'
