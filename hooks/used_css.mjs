// The rules of Material's stylesheets that the built pages use (hooks/theme_on_interaction.py).
// Usage: node hooks/used_css.mjs < job.json, where job.json is
//   {"pages": [html, ...], "css": [[full.css, used.css], ...], "read": [css, ...]}: the stylesheets
//   whose var(--name) reads are kept (all but Material's main.css, whose own reads PurgeCSS follows).
// Kept: what the pages' elements name (tags, classes, ids, attributes and their values, through
// purgecss-from-html, not the words of the text), the "js" class (set on <html> before the theme's
// script loads), and every custom property that another stylesheet reads (the palette's colours are
// computed from main.css's --md-hue, for one). Rules for what only Material's script creates
// (search results, tooltips, copy buttons) arrive with the full stylesheets.
import { readFileSync, writeFileSync } from "node:fs";
import { PurgeCSS } from "purgecss";
import fromHtml from "purgecss-from-html";

const job = JSON.parse(readFileSync(0, "utf-8"));
const read = new Set(job.read.flatMap((file) =>
  [...readFileSync(file, "utf-8").matchAll(/var\(\s*(--[\w-]+)/g)].map((m) => m[1])));
const results = await new PurgeCSS().purge({
  css: job.css.map(([full]) => full),
  content: job.pages.map((raw) => ({ raw, extension: "html" })),
  extractors: [{ extractor: fromHtml, extensions: ["html"] }],
  safelist: { standard: ["js"], variables: [...read] },
  variables: true,
  keyframes: true,
});
job.css.forEach(([, used], i) => writeFileSync(used, results[i].css));
