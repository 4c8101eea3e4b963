/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The Troupe server's URL; default http://127.0.0.1:6420 (`troupe dev`). */
  readonly VITE_TROUPE_ENDPOINT?: string;
}
