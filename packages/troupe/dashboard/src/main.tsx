// The dashboard's entry: takes the token from the address, then renders the app.

import { render } from "preact";
import { App } from "./app.tsx";
import { takeTokenFromUrl } from "./token.ts";
import "./styles.css";

takeTokenFromUrl();
render(<App />, document.getElementById("app") as HTMLElement);
