#!/usr/bin/env node
// Runs a TypeScript file through tsx (like bin/doraflow.js): `node bin/run-ts.js FILE.ts [args...]`.
import { register } from 'tsx/esm/api'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const file = process.argv[2]
if (!file) {
  process.stderr.write('usage: node bin/run-ts.js FILE.ts [args...]\n')
  process.exit(2)
}
register()
// The script sees its own arguments after the file, as if run directly.
process.argv.splice(1, 2, resolve(file))
await import(pathToFileURL(resolve(file)).href)
