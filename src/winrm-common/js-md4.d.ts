// Types for the one js-md4 call used here (the package ships none).
declare module 'js-md4' {
  const md4: { arrayBuffer(message: Uint8Array | ArrayBuffer | string): ArrayBuffer };
  export default md4;
}
