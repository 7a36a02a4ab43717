/** opencc-js ships its dictionaries as modules (`export default "key value|…"`) without type declarations. */
declare module 'opencc-js/dict/*' {
  const dict: string;
  export default dict;
}
