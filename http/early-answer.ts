import type { IncomingMessage, ServerResponse } from 'node:http'

/** How much of an unwanted body is read and thrown away after an early answer (`ingest.drain`). */
export interface DrainBounds {
  maxBytes: number
  maxMs: number
}

/**
 * Answers a request whose body has not been read (yet, or to its end): a
 * refusal decided from the headers, or a 413 in the middle of the body.
 *
 * Closing a socket with unread bytes in its receive buffer makes the kernel
 * send RST, and a client that writes its whole body before reading (Python's
 * urllib, curl without `Expect: 100-continue`) then sees "connection reset"
 * instead of our answer. So the whole answer is written at once (a client
 * that reads while it sends, like GitHub's, has it right away), the rest of
 * the body is read and discarded, and only then is the response ended, which
 * closes the connection cleanly. The drain is bounded in bytes and in time:
 * past either bound the socket is cut, as before.
 */
export function answerThenDrain(req: IncomingMessage, res: ServerResponse, status: number, body: object, headers: Record<string, string>, bounds: DrainBounds): void {
  if (res.headersSent) return
  const text = JSON.stringify(body)
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v)
  res.statusCode = status
  res.setHeader('Content-Type', 'application/json; charset=utf-8')
  res.setHeader('Content-Length', Buffer.byteLength(text))
  res.setHeader('Connection', 'close')
  if (req.complete) {
    res.end(text)
    return
  }
  res.write(text)
  let drained = 0
  let done = false
  const finish = (cut: boolean) => {
    if (done) return
    done = true
    clearTimeout(timer)
    req.off('data', onData)
    req.off('end', onEnd)
    res.end()
    if (cut) req.socket.destroy()
  }
  const onData = (chunk: Buffer) => {
    drained += chunk.length
    if (drained > bounds.maxBytes) finish(true)
  }
  const onEnd = () => finish(false)
  const timer = setTimeout(() => finish(true), bounds.maxMs)
  timer.unref()
  req.on('data', onData)
  req.once('end', onEnd)
  req.once('close', onEnd)
  req.on('error', () => finish(true))
  req.resume()
}
