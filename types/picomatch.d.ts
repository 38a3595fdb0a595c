// picomatch 4 ships no types and @types/picomatch is not a dependency: the part doraflow uses.
declare module 'picomatch' {
  interface PicomatchOptions {
    dot?: boolean
    nocase?: boolean
  }
  function picomatch(glob: string | string[], options?: PicomatchOptions): (path: string) => boolean
  export default picomatch
}
