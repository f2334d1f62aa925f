// Render TeX to MathML with Temml, one JSON request per stdin line, one JSON answer per stdout line.
// Request: {"tex": "...", "display": true|false}. Answer: {"html": "<math ...>"} or {"error": "..."}.
// MATH_RENDERER=katex | katex-mathml renders with KaTeX instead (htmlAndMathml | mathml output), for
// scripts/bench's side-by-side comparison only.
const readline = require("readline");

const renderer = process.env.MATH_RENDERER || "temml";
let render;
if (renderer === "temml") {
  const temml = require("temml");
  // wrap "tex": an inline formula may break after a top-level relation or operator, as in TeX (a
  // long one would otherwise push a phone's page sideways). No TeX <annotation>: screen readers read
  // the MathML itself, and Temml cannot wrap a formula that carries one.
  render = (tex, display) => temml.renderToString(tex, { displayMode: display, throwOnError: true, strict: true, wrap: "tex" });
} else {
  const katex = require("katex");
  const output = { "katex": "htmlAndMathml", "katex-mathml": "mathml" }[renderer];
  if (!output) throw new Error(`MATH_RENDERER=${renderer}: expected temml, katex or katex-mathml`);
  render = (tex, display) => katex.renderToString(tex, { displayMode: display, throwOnError: true, strict: "error", output });
}

const rl = readline.createInterface({ input: process.stdin, terminal: false });
rl.on("line", (line) => {
  const { tex, display } = JSON.parse(line);
  let answer;
  try {
    answer = { html: render(tex, display) };
  } catch (err) {
    answer = { error: String(err.message || err) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
});
