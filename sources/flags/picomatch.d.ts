// picomatch 4 ships no types; the one call used here.
declare module 'picomatch' {
  function picomatch(glob: string | string[], options?: { nocase?: boolean; dot?: boolean }): (input: string) => boolean
  export default picomatch
}
