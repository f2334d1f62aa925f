// Render TeX to HTML with KaTeX, one JSON request per stdin line, one JSON answer per stdout line.
// Request: {"tex": "...", "display": true|false}. Answer: {"html": "..."} or {"error": "..."}.
const katex = require("katex");
const readline = require("readline");

const rl = readline.createInterface({ input: process.stdin, terminal: false });
rl.on("line", (line) => {
  const { tex, display } = JSON.parse(line);
  let answer;
  try {
    answer = { html: katex.renderToString(tex, { displayMode: display, throwOnError: true, strict: "error" }) };
  } catch (err) {
    answer = { error: String(err.message || err) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
});
