/** The HTTP kit shared by ingest and the API: errors as JSON, raw bodies, JSON objects, loopback, bearer tokens, hardening. */
export { HttpError, badRequest, forbidden, payloadTooLarge, sendError, sendInternalError, unauthorized, unavailable, unsupportedMediaType } from './errors.ts'
export { invalid, isObject, nonEmpty, parseJsonObject, str, type JsonObject } from './json.ts'
export { checkContentLength, decodeUtf8, header, mediaType, readRawBody, utf8OrNull } from './raw-body.ts'
export { isLoopback, requireLoopback } from './loopback.ts'
export { verifyBearer } from './bearer.ts'
